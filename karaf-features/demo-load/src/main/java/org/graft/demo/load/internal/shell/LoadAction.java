package org.graft.demo.load.internal.shell;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.graft.demo.load.internal.DemoLoad;

/** What every {@code graft-demo:*} command has: the bundle's one load. */
abstract class LoadAction implements Action {
    @Reference
    DemoLoad demoLoad;
}
