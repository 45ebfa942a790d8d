package org.graft.transformer;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.osgi.annotation.bundle.Header;

/**
 * Asks Graft to manage the services of the bundle that contains the annotated type.
 *
 * <p>bnd turns the annotation into the manifest header {@value #HEADER}{@code : true}. Graft's
 * container then hides the bundle's services behind version-aware proxies, so that a later version
 * of the bundle can replace them while consumers keep calling. Services of bundles without the header
 * (and not named in the container's configuration) are never touched.
 *
 * <pre>{@code
 * @Managed
 * @Component(service = CounterService.class)
 * public class CounterServiceImpl implements CounterService { ... }
 * }</pre>
 *
 * <p>A managed service is identified across versions by its DS {@code component.name}, or by the
 * service property {@value #IDENTITY_PROPERTY} where it has one.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.TYPE, ElementType.PACKAGE})
@Header(name = Managed.HEADER, value = "true")
public @interface Managed {
    /** The manifest header that marks a bundle as managed. */
    String HEADER = "Graft-Managed";

    /** A service property that names a managed service across versions, where DS's is not wanted. */
    String IDENTITY_PROPERTY = "graft.id";
}
