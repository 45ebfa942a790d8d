package org.graft.transformer;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an instance field of a managed implementation as state that an update carries over.
 *
 * <p>During an update the field's value is read from the old instance once no call runs on it, and
 * written into the same-named field of the new instance: by reference when both versions declare the
 * same type (a JDK type, or one from a bundle that the update does not replace), converted otherwise,
 * or computed by the {@link StateTransformer} that the new version declares. An update whose default
 * conversion would lose or misread a field is refused before anything changes.
 *
 * <pre>{@code
 * @State
 * private final ConcurrentMap<String, Long> counts = new ConcurrentHashMap<>();
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface State {
    /** The name of the state entry; the field's name when empty. Versions match entries by name. */
    String value() default "";
}
