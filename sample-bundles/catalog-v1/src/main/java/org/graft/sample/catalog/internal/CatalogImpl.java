package org.graft.sample.catalog.internal;

import java.util.concurrent.ConcurrentHashMap;

import org.graft.sample.api.Catalog;
import org.graft.transformer.Managed;
import org.graft.transformer.State;
import org.osgi.service.component.annotations.Component;

/**
 * The first catalog. Its state is a JDK map, a type every version shares, so an update hands the map
 * itself to the next version instead of converting it: the hand-over takes the same time for ten
 * entries as for ten million.
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
        return "1";
    }
}
