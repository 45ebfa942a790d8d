/** The greeter's API: exported, versioned, and in a bundle of its own. */
@Export
@Version("1.0.0")
package org.example.greeter;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
