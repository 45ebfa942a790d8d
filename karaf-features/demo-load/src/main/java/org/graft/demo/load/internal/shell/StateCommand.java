package org.graft.demo.load.internal.shell;

import java.util.List;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.graft.sample.api.CounterService;

@Service
@Command(scope = "graft-demo", name = "state", description = "Shows the counter's version, its operations, and its value for each key of the load.")
public class StateCommand extends LoadAction {
    // Optional, so that without a counter the command says so instead of being hidden by Karaf.
    @Reference(optional = true)
    CounterService counter;

    @Option(name = "--no-format", description = "Plain output, for scripts")
    boolean noFormat;

    @Override
    public Object execute() {
        if (counter == null) {
            throw new IllegalStateException("No " + CounterService.class.getName() + " is registered");
        }
        System.out.println("Counter version " + counter.version() + ", operations " + counter.operations());
        List<String> keys = demoLoad.keys();
        if (keys.isEmpty()) {
            System.out.println("No load was started: no keys to show.");
            return null;
        }
        ShellTable table = new ShellTable();
        table.column("Key");
        table.column("get(key)").alignRight();
        for (String key : keys) {
            table.addRow().addContent(key, counter.get(key));
        }
        table.print(System.out, !noFormat);
        return null;
    }
}
