package org.graft.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertSame;

import java.util.List;
import java.util.Map;

import org.graft.itest.fixtures.api.Store;
import org.graft.update.dto.UpdateReportDTO;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.ExamFactory;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.nat.internal.NativeTestContainerFactory;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;

/** Test 7: state of a type both versions share is handed over by reference, whatever its size; and the hooks. */
@RunWith(PaxExam.class)
@ExamFactory(NativeTestContainerFactory.class)
@ExamReactorStrategy(PerMethod.class)
public class HandOverIT extends GraftTestSupport {

    @Override
    protected Option[] testClassOptions() {
        return slowServices();
    }

    @Test
    public void aMillionEntryMapIsHandedOverAsTheSameObject() {
        Store store = service(Store.class);
        store.fill("k", 1_000_000);
        Map<String, String> before = store.backingMap();
        UpdateReportDTO report = updateManager.update(fixtureRequest(STORE, "store-v2"));
        assertSucceeded(report);
        assertEquals("2", store.version());
        assertSame("the very same map, not a copy", before, store.backingMap());
        assertEquals(1_000_000, store.size());
        assertEquals("v999999", store.get("k999999"));
        assertEquals("HANDED_OVER", report.plan.services.get(0).state.get(0).action);
        assertEquals("v1 was suspended before its state was read, v2 resumed after its state was written",
                List.of("v1 suspended", "v2 resumed"), store.hookEvents());
        System.out.println("1,000,000 entries by reference: " + describe(report));
    }
}
