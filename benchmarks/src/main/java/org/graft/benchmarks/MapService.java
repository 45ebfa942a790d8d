package org.graft.benchmarks;

import java.util.HashMap;

/**
 * The implementation behind every variant. Each variant gets its own final subclass, so that every
 * call site in a benchmark (and inside each proxy) sees exactly one receiver class: the same
 * monomorphic situation for all variants, while no variant can be devirtualized by class hierarchy
 * analysis alone (several classes implement {@link Service}).
 */
public abstract class MapService implements Service {
    private final HashMap<String, String> map;
    private int value;

    protected MapService(HashMap<String, String> map, int value) {
        this.map = map;
        this.value = value;
    }

    @Override
    public final int trivial() {
        return value;
    }

    @Override
    public final String lookup(String key) {
        return map.get(key);
    }

    /** Called directly through the interface. */
    public static final class ForDirect extends MapService {
        ForDirect(HashMap<String, String> map, int value) {
            super(map, value);
        }
    }

    /** Behind Graft's generated proxy, linked directly (opt-in; only where the JVM allows it). */
    public static final class ForGraft extends MapService {
        public ForGraft(HashMap<String, String> map, int value) {
            super(map, value);
        }
    }

    /** Behind Graft's generated proxy and its counted call gate (the fallback). */
    public static final class ForGraftCounted extends MapService {
        public ForGraftCounted(HashMap<String, String> map, int value) {
            super(map, value);
        }
    }

    /** Behind a java.lang.reflect.Proxy whose handler calls Method.invoke. */
    public static final class ForJdkProxy extends MapService {
        ForJdkProxy(HashMap<String, String> map, int value) {
            super(map, value);
        }
    }

    /** Behind Apache Aries Proxy's delegating proxy. */
    public static final class ForAries extends MapService {
        ForAries(HashMap<String, String> map, int value) {
            super(map, value);
        }
    }
}
