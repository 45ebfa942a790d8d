package org.graft.sample.catalog.internal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.graft.sample.api.Catalog;
import org.graft.transformer.Managed;
import org.graft.transformer.State;
import org.graft.transformer.Suspendable;
import org.osgi.service.component.annotations.Component;

/**
 * The second catalog: same state, same behaviour, only the version differs. The map is handed over by
 * reference, which tests check through {@link #backingMap()}.
 */
@Managed
@Component(name = "org.graft.sample.catalog", service = Catalog.class)
public class CatalogImpl implements Catalog, Suspendable {
    @State
    private final ConcurrentHashMap<String, String> entries = new ConcurrentHashMap<>();

    /** The update hooks' trace: handed over like the entries, so it spans versions. */
    @State
    private final CopyOnWriteArrayList<String> hookEvents = new CopyOnWriteArrayList<>();

    @Override
    public void put(String key, String value) {
        entries.put(key, value);
    }

    @Override
    public String get(String key) {
        return entries.get(key);
    }

    @Override
    public int size() {
        return entries.size();
    }

    @Override
    public void fill(String prefix, int count) {
        for (int i = 0; i < count; i++) {
            entries.put(prefix + i, "v" + i);
        }
    }

    @Override
    public Map<String, String> backingMap() {
        return entries;
    }

    @Override
    public String version() {
        return "2";
    }

    @Override
    public List<String> hookEvents() {
        return hookEvents;
    }

    @Override
    public void suspend() {
        hookEvents.add("v2 suspended");
    }

    @Override
    public void resume() {
        hookEvents.add("v2 resumed");
    }
}
