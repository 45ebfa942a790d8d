package org.graft.transformer;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares, on a managed implementation class, the transformer that brings the state of a range of
 * older versions to this version.
 *
 * <pre>{@code
 * @UpgradeFrom(versions = "[1.0.0,2.0.0)", transformer = CountsToTallies.class)
 * @Component(service = CounterService.class)
 * public class CounterServiceImpl implements CounterService { ... }
 * }</pre>
 *
 * <p>When the transformer is a {@link ReversibleStateTransformer}, the same declaration also serves
 * the rollback from this version to any version in the range.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@Repeatable(UpgradeFrom.List.class)
public @interface UpgradeFrom {
    /** The older bundle versions covered, as an OSGi version range, e.g. {@code "[1.0.0,2.0.0)"}. */
    String versions();

    /** The transformer; it needs a public no-argument constructor. */
    Class<? extends StateTransformer> transformer();

    /** The container of repeated {@link UpgradeFrom} declarations. */
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.TYPE)
    @interface List {
        /** The declarations. */
        UpgradeFrom[] value();
    }
}
