package org.graft.update.command;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.graft.update.UpdateManager;

/** What every {@code dsu:*} command has: the update manager, the one implementation of every operation. */
abstract class DsuAction implements Action {
    @Reference
    UpdateManager updateManager;
}
