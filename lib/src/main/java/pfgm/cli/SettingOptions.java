package pfgm.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import pfgm.config.Settings;
import picocli.CommandLine.Option;

/** The --set option: settings to override by name (see 'pfgm presets NAME' for every name). */
final class SettingOptions {
    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a setting, e.g. --set lr=1e-3 --set network.nf=64 "
            + "(repeatable; a bare name is enough when it ends one setting's path; see 'pfgm presets NAME').")
    List<String> assignments = new ArrayList<>();

    Map<String, String> overrides() {
        return Settings.assignments(assignments);
    }
}
