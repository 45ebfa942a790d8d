package org.graft.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.bundle;

import java.util.List;

import org.graft.itest.fixtures.selfapi.Ledger;
import org.graft.update.dto.UpdateOptionsDTO;
import org.graft.update.dto.UpdateReportDTO;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.ExamFactory;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.nat.internal.NativeTestContainerFactory;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;
import org.osgi.framework.Bundle;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.framework.wiring.BundleWire;
import org.osgi.framework.wiring.BundleWiring;

/**
 * A bundle that exports its own API package: its consumers are wired to the first version's export, and
 * keep those very classes across any number of updates; the first version stays installed, stopped,
 * as their carrier.
 */
@RunWith(PaxExam.class)
@ExamFactory(NativeTestContainerFactory.class)
@ExamReactorStrategy(PerMethod.class)
public class SelfExportedApiIT extends GraftTestSupport {
    private static final String LEDGER = "org.graft.itest.ledger";
    private static final String API = "org.graft.itest.fixtures.selfapi";

    @Override
    protected Option[] testClassOptions() {
        return new Option[] {
            bundle(Fixtures.url("ledger-v1")).startLevel(4),
            bundle(Fixtures.url("ledger-consumer")).startLevel(4),
        };
    }

    @Test
    public void consumersKeepTheVeryInterfaceClassesAcrossThreeReleases() throws Exception {
        Ledger ledger = service(Ledger.class);
        Bundle first = serving();
        Bundle consumer = bundlesNamed("org.graft.itest.ledgerconsumer").get(0);
        ledger.record("one");

        for (String next : List.of("ledger-v2", "ledger-v3")) {
            UpdateReportDTO report = updateManager.update(fixtureRequest(LEDGER, next));
            assertSucceeded(report);
            ledger.record(next);
        }

        assertEquals("3", ledger.version());
        assertEquals(List.of("one", "ledger-v2", "ledger-v3"), ledger.entries());
        assertEquals("the consumer is wired to the first version's export still", first.getBundleId(),
                exporterFor(consumer).getBundleId());
        assertEquals("and was never restarted", Bundle.ACTIVE, consumer.getState());
        assertEquals("the first version stays, stopped, as the package's carrier", Bundle.RESOLVED, first.getState());
        assertEquals("the third version imports the package from it too", first.getBundleId(),
                exporterFor(serving()).getBundleId());
        assertEquals("the second version, which nothing is wired to, is gone: " + bundlesNamed(LEDGER), 2,
                bundlesNamed(LEDGER).size());
    }

    @Test
    public void aReleaseThatNeedsAnotherMajorVersionOfTheApiIsRefusedNamingWhomARefreshWouldRestart() {
        Ledger ledger = service(Ledger.class);
        ledger.record("kept");
        UpdateReportDTO report = updateManager.update(fixtureRequest(LEDGER, "ledger-v4-api-2"));
        assertEquals(report.message, UpdateReportDTO.REFUSED, report.outcome);
        assertEquals("plan", report.failedStep);
        assertTrue(report.message, report.message.contains("sees another " + API + ".Ledger"));
        assertTrue(report.message, report.message.contains("would restart them") && report.message.contains("org.graft.itest.ledgerconsumer"));
        assertEquals("1", ledger.version());
        assertEquals(List.of("kept"), ledger.entries());
        assertEquals(1, bundlesNamed(LEDGER).size());
    }

    @Test
    public void aReleaseThatExportsTheApiWithoutImportingItIsRefusedBeforeAnythingChanges() {
        Ledger ledger = service(Ledger.class);
        ledger.record("kept");
        UpdateReportDTO report = updateManager.update(fixtureRequest(LEDGER, "ledger-v2-no-import"));
        assertEquals(report.message, UpdateReportDTO.REFUSED, report.outcome);
        assertEquals("plan", report.failedStep);
        assertTrue(report.message, report.message.contains("sees another " + API + ".Ledger"));
        assertTrue(report.message, report.message.contains("it exports " + API + " without importing it"));
        assertEquals("1", ledger.version());
        assertEquals(List.of("kept"), ledger.entries());
        assertEquals(1, bundlesNamed(LEDGER).size());
    }

    @Test
    public void aRollbackStartsTheCarrierAgainAndTheVersionItReplacedGoes() throws Exception {
        Ledger ledger = service(Ledger.class);
        Bundle first = serving();
        ledger.record("one");
        assertSucceeded(updateManager.update(fixtureRequest(LEDGER, "ledger-v2")));
        ledger.record("two");

        UpdateReportDTO rollback = updateManager.rollback(LEDGER, new UpdateOptionsDTO());

        assertSucceeded(rollback);
        assertEquals("1", ledger.version());
        assertEquals(List.of("one", "two"), ledger.entries());
        assertEquals("the carrier serves again", first.getBundleId(), serving().getBundleId());
        assertEquals(Bundle.ACTIVE, first.getState());
        assertEquals("version 2 is gone: " + bundlesNamed(LEDGER), 1, bundlesNamed(LEDGER).size());
    }

    private Bundle serving() {
        return updateManager.managedServices().stream().filter(service -> LEDGER.equals(service.bundle))
                .map(service -> context.getBundle(service.bundleId)).findFirst()
                .orElseThrow(() -> new AssertionError("no managed ledger serves"));
    }

    private static Bundle exporterFor(Bundle importer) {
        for (BundleWire wire : importer.adapt(BundleWiring.class).getRequiredWires(PackageNamespace.PACKAGE_NAMESPACE)) {
            if (API.equals(wire.getCapability().getAttributes().get(PackageNamespace.PACKAGE_NAMESPACE))) {
                return wire.getProviderWiring().getBundle();
            }
        }
        throw new AssertionError(importer + " imports no " + API);
    }
}
