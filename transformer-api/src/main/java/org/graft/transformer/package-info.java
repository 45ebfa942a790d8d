/**
 * The API a service author writes against to make a service updatable while it runs.
 *
 * <p>A bundle opts in with {@link org.graft.transformer.Managed}; its DS components mark their state
 * with {@link org.graft.transformer.State} (or implement {@link org.graft.transformer.StateHolder});
 * a new version that changes the shape of that state declares a
 * {@link org.graft.transformer.StateTransformer} with {@link org.graft.transformer.UpgradeFrom}.
 * Background work is stopped and restarted around an update by
 * {@link org.graft.transformer.Suspendable}.
 */
@Export
@Version("1.1.0")
package org.graft.transformer;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
