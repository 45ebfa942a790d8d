/** Interfaces of the sample services; implemented in several versions by the sample bundles. */
@Export
@Version("1.0.0")
package org.graft.sample.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
