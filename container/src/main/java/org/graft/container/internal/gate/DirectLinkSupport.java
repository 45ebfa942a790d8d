package org.graft.container.internal.gate;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Optional;

/**
 * Whether this JVM gives the direct link what its correctness rests on ({@link CallGate}'s
 * implementation notes): HotSpot, with its own compilers, and no virtual threads (which
 * {@link Thread#getAllStackTraces()} does not list, so an uncounted call on one could not be seen).
 * Anything else keeps every proxy on the counted path.
 */
public final class DirectLinkSupport {
    private static final Optional<String> UNSUPPORTED = check(System.getProperty("java.vm.name", ""),
            System.getProperty("java.vm.version", ""), Runtime.version().feature(), inputArguments());

    private DirectLinkSupport() {
    }

    /** Why this JVM cannot use the direct link, or empty if it can. */
    public static Optional<String> unsupportedReason() {
        return UNSUPPORTED;
    }

    static Optional<String> check(String vmName, String vmVersion, int feature, List<String> arguments) {
        if (!vmName.contains("HotSpot") && !vmName.startsWith("OpenJDK")) {
            return Optional.of("the JVM is " + vmName + ", not HotSpot, whose safepoints and stack traces the stack check relies on");
        }
        if (vmVersion.contains("jvmci") || arguments.contains("-XX:+UseJVMCICompiler") || arguments.contains("-XX:+EnableJVMCI")) {
            return Optional.of("the JVM compiles with JVMCI (Graal), whose code the stack check was not proven with");
        }
        if (feature >= 19) {
            return Optional.of("Java " + feature + " has virtual threads, which no listing of threads includes,"
                    + " so an uncounted call on one could not be found");
        }
        return Optional.empty();
    }

    private static List<String> inputArguments() {
        try {
            return ManagementFactory.getRuntimeMXBean().getInputArguments();
        } catch (SecurityException | UnsupportedOperationException | LinkageError unavailable) {
            // Without the JVM's arguments the compiler cannot be told: assume the worst.
            return List.of("-XX:+UseJVMCICompiler");
        }
    }
}
