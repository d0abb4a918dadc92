package pfgm.cli;

import pfgm.run.RunSettings;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** --preset and its --set overrides: what a run is made from. */
final class PresetOptions {
    @Option(names = "--preset", required = true, description = "Preset name (see 'pfgm presets').")
    String preset;

    @Mixin
    SettingOptions settings;

    RunSettings runSettings() {
        return new RunSettings(preset, settings.overrides());
    }
}
