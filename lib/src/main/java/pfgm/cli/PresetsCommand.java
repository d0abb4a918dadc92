package pfgm.cli;

import java.util.concurrent.Callable;
import pfgm.config.Preset;
import pfgm.config.Presets;
import pfgm.config.Settings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "presets", mixinStandardHelpOptions = true,
        description = "List the presets, or print every setting of one (each can be changed with train --set).")
final class PresetsCommand implements Callable<Integer> {
    @Parameters(arity = "0..1", description = "A preset to print.")
    String name;

    @Override
    public Integer call() {
        if (name == null) {
            for (Preset p : Presets.all().values()) {
                System.out.printf("%-22s %-7s %-38s %s, %d steps%n", p.name(), p.method(), p.data(), p.network().kind(),
                        p.train().steps());
            }
        } else {
            System.out.print(Settings.describe(Presets.named(name)));
        }
        return 0;
    }
}
