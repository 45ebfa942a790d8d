package org.graft.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.graft.sample.api.CounterService;
import org.graft.update.dto.StepDTO;
import org.graft.update.dto.UpdateReportDTO;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.ExamFactory;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.nat.internal.NativeTestContainerFactory;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceListener;

/**
 * What goes wrong after the swap (the archive of retired versions cannot be written; another party
 * uninstalls the replaced version first) does not undo the update, and the report says what happened.
 */
@RunWith(PaxExam.class)
@ExamFactory(NativeTestContainerFactory.class)
@ExamReactorStrategy(PerMethod.class)
public class RetireFailureIT extends GraftTestSupport {

    @Test
    public void aRetireThatFailsIsReportedAndTheNewVersionServes() throws Exception {
        CounterService counter = service(CounterService.class);
        counter.increment("kept");
        Path archive = updateManagerDataArea().resolve("archive");
        deleteTree(archive);
        // A file where the archive directory should be: writing a jar into it fails, even for root.
        Files.writeString(archive, "not a directory");

        UpdateReportDTO report = update(COUNTER, "counter-v2");

        assertEquals(report.message, UpdateReportDTO.SUCCEEDED, report.outcome);
        StepDTO retire = report.steps.get(report.steps.size() - 1);
        assertEquals("retire", retire.name);
        assertEquals(StepDTO.FAILED, retire.status);
        assertTrue("the report says that retiring failed: " + report.message,
                report.message.contains("The new version serves, but retiring the old one failed"));
        assertTrue("and why: " + report.message, report.message.contains(archive.getFileName().toString()));
        assertEquals("2", counter.version());
        assertEquals("the state was carried", 1L, counter.get("kept"));
    }

    /**
     * Another party uninstalls the replaced version between the swap and its retirement (here a
     * listener on the proxy's MODIFIED event, which the swap fires on the update thread): the update
     * succeeds, the retire step says so and still refreshes the old version away.
     */
    @Test
    public void anOldVersionUninstalledByAnotherPartyBeforeItsRetirementIsReportedAndRefreshed() throws Exception {
        CounterService counter = service(CounterService.class);
        counter.increment("kept");
        Bundle version1 = bundlesNamed(COUNTER).get(0);
        List<Exception> uninstallFailures = new CopyOnWriteArrayList<>();
        ServiceListener otherParty = event -> {
            if (event.getType() == ServiceEvent.MODIFIED && version1.getState() != Bundle.UNINSTALLED) {
                try {
                    version1.uninstall();
                } catch (Exception e) {
                    uninstallFailures.add(e);
                }
            }
        };
        context.addServiceListener(otherParty, "(objectClass=" + CounterService.class.getName() + ")");
        UpdateReportDTO report;
        try {
            report = update(COUNTER, "counter-v2");
        } finally {
            context.removeServiceListener(otherParty);
        }

        assertEquals("the other party's uninstall: " + uninstallFailures, List.of(), uninstallFailures);
        assertSucceeded(report);
        StepDTO retire = report.steps.get(report.steps.size() - 1);
        assertEquals("retire", retire.name);
        assertEquals(describe(report), StepDTO.OK, retire.status);
        assertTrue("the retire step names what happened: " + retire.detail,
                retire.detail.contains(COUNTER + " 1.0.0 (id " + version1.getBundleId() + ") was uninstalled by another party"));
        assertTrue("and that it was refreshed anyway: " + retire.detail, retire.detail.contains("refreshed away"));
        assertEquals(Bundle.UNINSTALLED, version1.getState());
        assertEquals("one version is left", 1, bundlesNamed(COUNTER).size());
        assertEquals("2", counter.version());
        assertEquals("the state was carried", 1L, counter.get("kept"));
    }

    /** Felix keeps a bundle's data area at {@code <framework storage>/bundle<id>/data}. */
    private Path updateManagerDataArea() {
        Bundle manager = bundlesNamed("org.graft.update.manager").get(0);
        Path data = Paths.get(context.getProperty("org.osgi.framework.storage"), "bundle" + manager.getBundleId(), "data");
        assertTrue("the update manager's data area is at " + data, Files.isDirectory(data.resolve("journal")));
        return data;
    }

    private static void deleteTree(Path root) throws Exception {
        if (!Files.exists(root)) {
            return;
        }
        try (var files = Files.walk(root)) {
            for (Path file : (Iterable<Path>) files.sorted((a, b) -> b.compareTo(a))::iterator) {
                Files.delete(file);
            }
        }
    }
}
