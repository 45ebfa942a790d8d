package org.example.greeter.test;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.File;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import javax.inject.Inject;

import org.example.greeter.Greeter;
import org.graft.update.UpdateManager;
import org.graft.update.dto.BundleUpdateDTO;
import org.graft.update.dto.UpdateOptionsDTO;
import org.graft.update.dto.UpdateReportDTO;
import org.graft.update.dto.UpdateRequestDTO;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * Greeter 1 updated to greeter 2 by Graft in Apache Felix while two callers greet nonstop: no call
 * fails, the counts arrive as visits, and a rollback carries them back down.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class GreeterUpdateTest {
    private static final String GREETER = "org.example.greeter.impl";

    @Inject
    private Greeter greeter;

    @Inject
    private UpdateManager updateManager;

    @Configuration
    public Option[] configuration() {
        String graft = System.getProperty("graft.version");
        return options(
                systemProperty("org.ops4j.pax.url.mvn.localRepository").value(System.getProperty("org.ops4j.pax.url.mvn.localRepository")),
                // What Graft needs in a plain framework (Karaf's dsu feature brings the same):
                mavenBundle("org.osgi", "org.osgi.util.function", "1.2.0").startLevel(2),
                mavenBundle("org.osgi", "org.osgi.util.promise", "1.3.0").startLevel(2),
                mavenBundle("org.osgi", "org.osgi.service.component", "1.5.1").startLevel(2),
                mavenBundle("com.fasterxml.jackson.core", "jackson-annotations", "2.23").startLevel(2),
                mavenBundle("com.fasterxml.jackson.core", "jackson-core", "2.23.0").startLevel(2),
                mavenBundle("com.fasterxml.jackson.core", "jackson-databind", "2.23.0").startLevel(2),
                mavenBundle("org.graft", "transformer-api", graft).startLevel(2),
                // the container before any managed bundle starts: a service registered earlier stays unmanaged
                mavenBundle("org.graft", "container", graft).startLevel(2),
                mavenBundle("org.graft", "update-manager", graft).startLevel(2),
                mavenBundle("org.apache.felix", "org.apache.felix.scr", "2.2.18").startLevel(3),
                bundle(jar("greeter.api")).startLevel(3),
                bundle(jar("greeter.v1")).startLevel(4),
                junitBundles());
    }

    private static String jar(String property) {
        File jar = new File(System.getProperty(property));
        assertTrue("built by the module before: " + jar, jar.isFile());
        return jar.toURI().toString();
    }

    @Test
    public void anUpdateUnderLoadFailsNoCallAndCarriesTheState() throws Exception {
        greeter.greet("ada");
        greeter.greet("ada");
        assertEquals("1", greeter.version());

        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong calls = new AtomicLong();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        Greeter proxy = greeter; // Graft's proxy: the same object before, during and after the update
        Thread[] callers = new Thread[2];
        for (int i = 0; i < callers.length; i++) {
            callers[i] = new Thread(() -> {
                while (!stop.get()) {
                    try {
                        proxy.greet("caller");
                        calls.incrementAndGet();
                    } catch (RuntimeException e) {
                        failures.add(e);
                    }
                }
            }, "greeter-caller-" + i);
            callers[i].start();
        }
        UpdateReportDTO report;
        try {
            UpdateRequestDTO request = new UpdateRequestDTO();
            request.bundles.add(BundleUpdateDTO.of(GREETER, new File(System.getProperty("greeter.v2")).toURI().toString()));
            report = updateManager.update(request);
        } finally {
            stop.set(true);
            for (Thread caller : callers) {
                caller.join(TimeUnit.SECONDS.toMillis(30));
            }
        }

        assertEquals(report.message, UpdateReportDTO.SUCCEEDED, report.outcome);
        assertTrue("no call failed: " + failures, failures.isEmpty());
        assertEquals("2", greeter.version());
        assertEquals("the counts came over as visits", 2L, greeter.greeted("ada"));
        assertEquals("every caller's greeting was counted, before and after", calls.get(), greeter.greeted("caller"));
        assertEquals("Welcome back, ada (visit 3)", greeter.greet("ada"));

        UpdateReportDTO rollback = updateManager.rollback(GREETER, new UpdateOptionsDTO());
        assertEquals(rollback.message, UpdateReportDTO.SUCCEEDED, rollback.outcome);
        assertEquals("1", greeter.version());
        assertEquals("the visits came back down as counts", 3L, greeter.greeted("ada"));
    }
}
