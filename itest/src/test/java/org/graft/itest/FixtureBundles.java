package org.graft.itest;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarInputStream;

import org.graft.itest.fixtures.api.Notes;
import org.graft.itest.fixtures.api.SlowCounter;
import org.graft.itest.fixtures.api.SlowGreeting;
import org.graft.itest.fixtures.api.Store;
import org.graft.itest.fixtures.blueprintnotes.BlueprintNotes;
import org.graft.itest.fixtures.counter.CountsToTallies;
import org.graft.itest.fixtures.counter.Tally;
import org.graft.itest.fixtures.counter.TallyCounter;
import org.graft.itest.fixtures.counter.dropsfield.DropsFieldCounter;
import org.graft.itest.fixtures.counter.failing.FailingActivationCounter;
import org.graft.itest.fixtures.counter.hanging.HangingCounter;
import org.graft.itest.fixtures.counter.partial.PartialCounter;
import org.graft.itest.fixtures.counter.partial.TalliesOnly;
import org.graft.itest.fixtures.counter.hanging.HangingTransformer;
import org.graft.itest.fixtures.counter.oneway.OneWayCounter;
import org.graft.itest.fixtures.counter.throwing.ThrowingCounter;
import org.graft.itest.fixtures.counter.throwing.ThrowingTransformer;
import org.graft.itest.fixtures.ledgerconsumer.LedgerConsumerActivator;
import org.graft.itest.fixtures.movingnotes.v1.MovingNotesComponent;
import org.graft.itest.fixtures.movingnotes.v2.ActivatorNotes;
import org.graft.itest.fixtures.movingnotes.v2.MovingNotesActivator;
import org.graft.itest.fixtures.notes.classes.ClassActivator;
import org.graft.itest.fixtures.notes.factory.FactoryActivator;
import org.graft.itest.fixtures.notes.invisible.InvisibleActivator;
import org.graft.itest.fixtures.notes.twice.TwiceActivator;
import org.graft.itest.fixtures.notes.v1.NotesActivator;
import org.graft.itest.fixtures.notes.v1.NotesImpl;
import org.graft.itest.fixtures.selfapi.Ledger;
import org.graft.itest.fixtures.selfapi.internal.LedgerImpl;
import org.graft.itest.fixtures.slowcounter.SlowCounterBase;
import org.graft.itest.fixtures.slowcounter.v1.SlowCounterV1;
import org.graft.itest.fixtures.slowcounter.v2.SlowCounterV2;
import org.graft.itest.fixtures.slowgreeting.v1.SlowGreetingV1;
import org.graft.itest.fixtures.slowgreeting.v2.SlowGreetingV2;
import org.graft.itest.fixtures.store.v1.StoreV1;
import org.graft.itest.fixtures.store.v2.StoreV2;
import org.graft.sample.api.Catalog;
import org.graft.sample.api.CounterConsumer;
import org.graft.sample.api.CounterService;
import org.graft.sample.api.GreetingService;
import org.ops4j.pax.tinybundles.TinyBundle;
import org.ops4j.pax.tinybundles.TinyBundles;
import org.osgi.framework.Constants;

/**
 * The bundles that only tests use, built from the classes under {@code org.graft.itest.fixtures}
 * (TinyBundles drives bnd, which writes the manifests and DS descriptors from their annotations): the
 * faulty versions 2 of the sample counter, services whose calls a test can hold inside the
 * implementation, and services registered as bundles written without Graft in mind register them. Built once per JVM into {@code target/fixtures}, outside the framework (Pax Exam runs
 * {@code @Configuration} methods there); tests inside the framework find them with {@link Fixtures#url}.
 * Only ever loaded outside the framework: it needs TinyBundles and bnd, which the framework has not.
 */
final class FixtureBundles {
    private static boolean built;
    /** The notes bean and its service, as a Blueprint bundle declares them. */
    private static final byte[] BLUEPRINT_NOTES = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            + "<blueprint xmlns=\"http://www.osgi.org/xmlns/blueprint/v1.0.0\">\n"
            + "  <bean id=\"notes\" class=\"" + BlueprintNotes.class.getName() + "\">\n"
            + "    <property name=\"bundle\" ref=\"blueprintBundle\"/>\n"
            + "  </bean>\n"
            + "  <service id=\"notesService\" ref=\"notes\" interface=\"" + Notes.class.getName() + "\"/>\n"
            + "</blueprint>\n").getBytes(StandardCharsets.UTF_8);
    /** The same, and a mandatory reference to a service nobody registers: the container waits, registering nothing. */
    private static final byte[] BLUEPRINT_NOTES_WAITING = new String(BLUEPRINT_NOTES, StandardCharsets.UTF_8)
            .replace("</blueprint>", "  <reference id=\"absent\" interface=\"" + Store.class.getName()
                    + "\" filter=\"(purpose=never-registered)\"/>\n</blueprint>")
            .getBytes(StandardCharsets.UTF_8);

    private FixtureBundles() {
    }

    /** Builds every fixture unless this JVM did already; returns their folder. */
    static synchronized Path build() {
        Path folder = Paths.get(System.getProperty("graft.build.directory", "target"), "fixtures").toAbsolutePath();
        if (!built) {
            try {
                Files.createDirectories(folder);
                for (Map.Entry<String, TinyBundle> fixture : fixtures().entrySet()) {
                    Path jar = folder.resolve(fixture.getKey() + ".jar");
                    // A bundle read in whole (it has its DS descriptor already) is kept as it is: bnd would analyse it again.
                    boolean raw = fixture.getValue().getHeader("Service-Component") != null;
                    try (InputStream bytes = raw ? fixture.getValue().build(TinyBundles.rawBuilder())
                            : fixture.getValue().build(TinyBundles.bndBuilder())) {
                        Files.copy(bytes, jar, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException("the fixture bundles cannot be written to " + folder + ": " + e, e);
            }
            System.setProperty(Fixtures.DIRECTORY, folder.toString());
            built = true;
        }
        return folder;
    }

    private static Map<String, TinyBundle> fixtures() throws IOException {
        Map<String, TinyBundle> fixtures = new LinkedHashMap<>();
        fixtures.put("fixtures-api", exporting("org.graft.itest.fixtures.api", "1.0.0", SlowCounter.class, SlowGreeting.class,
                Store.class, Notes.class));
        fixtures.put("slow-counter-v1", component("org.graft.itest.slowcounter", "1.0.0", SlowCounterBase.class, SlowCounterV1.class));
        fixtures.put("slow-counter-v2", component("org.graft.itest.slowcounter", "2.0.0", SlowCounterBase.class, SlowCounterV2.class));
        fixtures.put("slow-greeting-v1", component("org.graft.itest.slowgreeting", "1.0.0", SlowGreetingV1.class));
        fixtures.put("slow-greeting-v2", component("org.graft.itest.slowgreeting", "2.0.0", SlowGreetingV2.class));
        fixtures.put("store-v1", component("org.graft.itest.store", "1.0.0", StoreV1.class));
        fixtures.put("store-v2", component("org.graft.itest.store", "2.0.0", StoreV2.class));

        // Bundles written without Graft in mind: activators, no annotations.
        fixtures.put("notes-v1", activated("org.graft.itest.notes", "1.0.0", NotesActivator.class, NotesImpl.class));
        fixtures.put("notes-v2", activated("org.graft.itest.notes", "2.0.0", NotesActivator.class, NotesImpl.class));
        fixtures.put("notes-twice", activated("org.graft.itest.notestwice", "1.0.0", TwiceActivator.class, NotesImpl.class));
        fixtures.put("notes-factory", activated("org.graft.itest.notesfactory", "1.0.0", FactoryActivator.class,
                NotesImpl.class));
        fixtures.put("notes-class", activated("org.graft.itest.notesclass", "1.0.0", ClassActivator.class, NotesImpl.class));
        fixtures.put("notes-twice-v2", activated("org.graft.itest.notestwice", "2.0.0", TwiceActivator.class, NotesImpl.class));
        fixtures.put("notes-invisible", activated("org.graft.itest.notesinvisible", "1.0.0", InvisibleActivator.class,
                NotesImpl.class));
        fixtures.put("moving-notes-v1", component("org.graft.itest.movingnotes", "1.0.0", MovingNotesComponent.class));
        fixtures.put("moving-notes-v2", activated("org.graft.itest.movingnotes", "2.0.0", MovingNotesActivator.class,
                ActivatorNotes.class));

        // A bundle that exports its own API package (and imports it: a substitutable export, as bnd
        // makes it), in releases built from the same classes; one release bumps the package's major version.
        for (String version : List.of("1.0.0", "2.0.0", "3.0.0")) {
            fixtures.put("ledger-v" + version.charAt(0), selfExporting("org.graft.itest.ledger", version, "1.0.0"));
        }
        fixtures.put("ledger-v4-api-2", selfExporting("org.graft.itest.ledger", "4.0.0", "2.0.0"));
        // As hand-written manifests often are: the API exported, not imported, so each version has its own.
        fixtures.put("ledger-v2-no-import", selfExporting("org.graft.itest.ledger", "2.0.0.noimport", "1.0.0")
                .setHeader(Constants.IMPORT_PACKAGE, "!" + Ledger.class.getPackageName() + ", *"));
        fixtures.put("ledger-consumer", activated("org.graft.itest.ledgerconsumer", "1.0.0", LedgerConsumerActivator.class));

        for (String version : List.of("1.0.0", "2.0.0")) {
            fixtures.put("blueprint-notes-v" + version.charAt(0), component("org.graft.itest.blueprintnotes", version,
                    BlueprintNotes.class).addResource("OSGI-INF/blueprint/notes.xml", new ByteArrayInputStream(BLUEPRINT_NOTES)));
        }
        fixtures.put("blueprint-notes-v2-waiting", component("org.graft.itest.blueprintnotes", "2.0.0.waiting",
                BlueprintNotes.class).addResource("OSGI-INF/blueprint/notes.xml", new ByteArrayInputStream(BLUEPRINT_NOTES_WAITING)));

        String counter = "org.graft.sample.counter";
        fixtures.put("counter-v2-throwing-transformer", component(counter, "2.0.0.throwing", Tally.class, TallyCounter.class,
                ThrowingCounter.class, ThrowingTransformer.class));
        fixtures.put("counter-v2-hanging-transformer", component(counter, "2.0.0.hanging", Tally.class, TallyCounter.class,
                HangingCounter.class, HangingTransformer.class));
        fixtures.put("counter-v2-failing-activation", component(counter, "2.0.0.failingactivation", Tally.class,
                TallyCounter.class, CountsToTallies.class, FailingActivationCounter.class));
        fixtures.put("counter-v2-one-way", component(counter, "2.0.0.oneway", Tally.class, TallyCounter.class,
                CountsToTallies.class, OneWayCounter.class));
        fixtures.put("counter-v2-partial-transformer", component(counter, "2.0.0.partial", Tally.class, TallyCounter.class,
                PartialCounter.class, TalliesOnly.class));
        fixtures.put("counter-v2-drops-field", component(counter, "2.0.0.dropsfield", DropsFieldCounter.class));

        // The sample counter 2.0.0 itself, with one thing changed in its manifest.
        TinyBundle unresolvable = sampleCounterV2();
        unresolvable.setHeader(Constants.BUNDLE_VERSION, "2.0.0.unresolvable");
        // No bundle exports this package, so the bundle can never resolve.
        unresolvable.setHeader(Constants.IMPORT_PACKAGE, unresolvable.getHeader(Constants.IMPORT_PACKAGE)
                + ",org.graft.sample.missing;version=\"[1,2)\"");
        fixtures.put("counter-v2-unresolvable", unresolvable);

        // The mistake of copying the service interfaces into the bundle instead of importing them: its
        // CounterService is not the class consumers use.
        TinyBundle privateApi = sampleCounterV2();
        privateApi.setHeader(Constants.BUNDLE_VERSION, "2.0.0.privateapi");
        for (Class<?> api : List.of(CounterService.class, CounterConsumer.class, GreetingService.class, Catalog.class)) {
            privateApi.addClass(api);
        }
        privateApi.setHeader(Constants.IMPORT_PACKAGE, withoutPackage(privateApi.getHeader(Constants.IMPORT_PACKAGE),
                "org.graft.sample.api"));
        fixtures.put("counter-v2-private-api", privateApi);
        return fixtures;
    }

    /** A bundle of managed DS components: bnd reads their annotations. */
    private static TinyBundle component(String symbolicName, String version, Class<?>... classes) {
        TinyBundle bundle = TinyBundles.bundle().symbolicName(symbolicName).setHeader(Constants.BUNDLE_VERSION, version);
        List<String> packages = new ArrayList<>();
        for (Class<?> type : classes) {
            bundle.addClass(type);
            if (!packages.contains(type.getPackageName())) {
                packages.add(type.getPackageName());
            }
        }
        return bundle.setHeader("Private-Package", String.join(",", packages));
    }

    /** A bundle whose activator (the first class) registers its services. */
    private static TinyBundle activated(String symbolicName, String version, Class<?>... classes) {
        return component(symbolicName, version, classes).setHeader(Constants.BUNDLE_ACTIVATOR, classes[0].getName());
    }

    private static TinyBundle selfExporting(String symbolicName, String version, String apiVersion) {
        return component(symbolicName, version, Ledger.class, LedgerImpl.class).setHeader("Private-Package",
                LedgerImpl.class.getPackageName()).setHeader("Export-Package", Ledger.class.getPackageName() + ";version="
                + apiVersion);
    }

    private static TinyBundle exporting(String pkg, String version, Class<?>... classes) {
        TinyBundle bundle = TinyBundles.bundle().symbolicName(pkg).setHeader(Constants.BUNDLE_VERSION, version);
        for (Class<?> type : classes) {
            bundle.addClass(type);
        }
        return bundle.setHeader("Export-Package", pkg + ";version=" + version);
    }

    /** The reactor's sample counter 2.0.0, read in whole (manifest, classes, DS descriptor). */
    private static TinyBundle sampleCounterV2() throws IOException {
        String version = System.getProperty("graft.project.version");
        Path jar = Paths.get(System.getProperty("graft.reactor.repo"), "org", "graft", "samples", "counter-v2", version,
                "counter-v2-" + version + ".jar");
        try (JarInputStream in = new JarInputStream(Files.newInputStream(jar))) {
            return TinyBundles.bundle().readIn(in);
        }
    }

    /** An Import-Package header without the clause of {@code pkg}. */
    private static String withoutPackage(String header, String pkg) {
        List<String> kept = new ArrayList<>();
        // Clauses are separated by commas outside quotes (version ranges contain commas).
        StringBuilder clause = new StringBuilder();
        boolean quoted = false;
        for (char c : (header + ",").toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == ',' && !quoted) {
                String text = clause.toString().trim();
                if (!text.isEmpty() && !text.equals(pkg) && !text.startsWith(pkg + ";")) {
                    kept.add(text);
                }
                clause.setLength(0);
            } else {
                clause.append(c);
            }
        }
        return String.join(",", kept);
    }
}
