package dev.monoscope.worker.cli;

import dev.monoscope.worker.server.ServerMode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Server mode: the worker pod's main process, configured from MONOSCOPE_CONFIG. */
@Command(
        name = "server",
        mixinStandardHelpOptions = true,
        description = {
            "Run as a worker pod: configuration from MONOSCOPE_CONFIG (JSON), credentials from",
            "MONOSCOPE_SOURCE_USERNAME/PASSWORD and MONOSCOPE_WEBHOOK_URL; report, health and metrics",
            "on port 8080 of POD_IP (all interfaces when unset)."
        })
public final class ServerCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        return ServerMode.run();
    }
}
