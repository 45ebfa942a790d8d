package org.graft.sample.catalog.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.graft.sample.api.Catalog;
import org.graft.transformer.Managed;
import org.graft.transformer.State;
import org.osgi.service.component.annotations.Component;

/**
 * The second catalog: same state, same behaviour, only the version differs. The map is handed over by
 * reference, which tests check through {@link #backingMap()}.
 */
@Managed
@Component(name = "org.graft.sample.catalog", service = Catalog.class)
public class CatalogImpl implements Catalog {
    @State
    private final ConcurrentHashMap<String, String> entries = new ConcurrentHashMap<>();

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
}
