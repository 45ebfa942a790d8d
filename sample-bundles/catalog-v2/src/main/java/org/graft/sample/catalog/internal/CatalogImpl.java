package org.graft.sample.catalog.internal;

import java.util.concurrent.ConcurrentHashMap;

import org.graft.sample.api.Catalog;
import org.graft.transformer.Managed;
import org.graft.transformer.State;
import org.osgi.service.component.annotations.Component;

/**
 * The second catalog: the same state as the first, handed over by reference; only the version
 * differs.
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
    public String version() {
        return "2";
    }
}
