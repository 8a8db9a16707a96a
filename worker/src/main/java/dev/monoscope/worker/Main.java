package dev.monoscope.worker;

import dev.monoscope.worker.cli.MonitorCommand;
import dev.monoscope.worker.cli.ServerCommand;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code monoscope monitor [options] <url-or-file>} on the command line; {@code monoscope server} in a pod. */
@Command(
        name = "monoscope",
        mixinStandardHelpOptions = true,
        version = "monoscope 0.1.0",
        description = "Stream defect monitor: decodes a stream once and runs every detector on the same frames.",
        subcommands = {MonitorCommand.class, ServerCommand.class})
public final class Main implements Callable<Integer> {

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line in this process and returns its exit code. */
    public static int execute(String... args) {
        return commandLine().execute(args);
    }

    /** The command line, for callers that want its output elsewhere ({@code setOut}, {@code setErr}). */
    public static CommandLine commandLine() {
        return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true);
    }

    /** No subcommand: say what there is, and fail like any other bad usage. */
    @Override
    public Integer call() {
        CommandLine.usage(this, System.err);
        return 2;
    }
}
