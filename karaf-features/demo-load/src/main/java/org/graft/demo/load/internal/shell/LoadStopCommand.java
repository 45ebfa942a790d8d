package org.graft.demo.load.internal.shell;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "graft-demo", name = "load-stop",
        description = "Stops the load threads, waits for them (bounded), then shows the report; once stopped, each key must have gained exactly its calls.")
public class LoadStopCommand extends LoadAction {
    @Option(name = "--timeout", description = "How long to wait for the threads to end, in ms")
    long timeoutMillis = 10_000L;

    @Option(name = "--no-format", description = "Plain output, for scripts")
    boolean noFormat;

    @Override
    public Object execute() throws Exception {
        ReportPrinter.print(demoLoad.stop(timeoutMillis), System.out, noFormat);
        return null;
    }
}
