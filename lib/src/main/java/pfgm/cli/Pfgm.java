package pfgm.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code pfgm} command: the library's work outside notebooks. */
@Command(
        name = "pfgm",
        mixinStandardHelpOptions = true,
        version = "pfgm 0.1.0",
        description = "Poisson Flow Generative Models on the JVM (DJL, PyTorch engine).",
        subcommands = {
            CommandLine.HelpCommand.class,
            HyperparamsCommand.class,
            FieldCommand.class,
            PriorCommand.class,
            SampleCommand.class,
            TrainCommand.class,
            ImportCommand.class,
            PresetsCommand.class,
            EvalCommand.class,
            StatsCommand.class,
            FeaturesCommand.class,
            AblateCommand.class,
            BenchCommand.class,
        })
public final class Pfgm {

    public static void main(String[] args) {
        try {
            pfgm.util.Threads.useDefault(); // before anything loads the PyTorch engine
        } catch (IllegalArgumentException e) {
            System.err.println("pfgm: error: " + e.getMessage());
            System.exit(1);
        }
        System.exit(commandLine().execute(args));
    }

    /** The command line with the kit's error handling: bad input ends in one message and exit code 1. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Pfgm());
        cli.setExecutionExceptionHandler((e, line, parsed) -> {
            if (e instanceof IllegalArgumentException || e instanceof java.io.IOException
                    || e instanceof IllegalStateException) {
                line.getErr().println("pfgm: error: " + e.getMessage());
                if (Boolean.getBoolean("pfgm.debug")) {
                    e.printStackTrace(line.getErr());
                }
                return 1;
            }
            throw e;
        });
        return cli;
    }
}
