package org.graft.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertSame;

import java.util.List;
import java.util.Map;

import org.graft.sample.api.Catalog;
import org.graft.update.dto.UpdateReportDTO;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.ExamFactory;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.nat.internal.NativeTestContainerFactory;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;

/** Test 7: state of a type both versions share is handed over by reference, whatever its size; and the hooks. */
@RunWith(PaxExam.class)
@ExamFactory(NativeTestContainerFactory.class)
@ExamReactorStrategy(PerMethod.class)
public class HandOverIT extends GraftTestSupport {

    @Test
    public void aMillionEntryMapIsHandedOverAsTheSameObject() {
        Catalog catalog = service(Catalog.class);
        catalog.fill("k", 1_000_000);
        Map<String, String> before = catalog.backingMap();
        UpdateReportDTO report = update(CATALOG, "catalog-v2");
        assertSucceeded(report);
        assertEquals("2", catalog.version());
        assertSame("the very same map, not a copy", before, catalog.backingMap());
        assertEquals(1_000_000, catalog.size());
        assertEquals("v999999", catalog.get("k999999"));
        assertEquals("HANDED_OVER", report.plan.services.get(0).state.get(0).action);
        assertEquals("v1 was suspended before its state was read, v2 resumed after its state was written",
                List.of("v1 suspended", "v2 resumed"), catalog.hookEvents());
        System.out.println("1,000,000 entries by reference: " + describe(report));
    }
}
