package pfgm.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import pfgm.method.pfgm.PfgmConfig;

class SettingsTest {
    record Inner(double lr, int[] mult, boolean flip) {}

    record Outer(String name, Inner train, Inner other, long seed) {}

    final Outer base = new Outer("x", new Inner(1e-3, new int[] {1, 2}, true), new Inner(2e-3, new int[] {1}, false), 7);

    @Test
    void setsNestedComponentsByPathOrUniqueName() {
        Outer changed = Settings.with(base, "train.lr", "5e-4");
        assertEquals(5e-4, changed.train().lr());
        assertEquals(2e-3, changed.other().lr());
        assertEquals(9, Settings.with(base, "seed", "9").seed());
        assertArrayEquals(new int[] {1, 2, 2, 2}, Settings.with(base, "train.mult", "1,2,2,2").train().mult());
        assertEquals(false, Settings.with(base, "train.flip", "false").train().flip());
    }

    @Test
    void badNamesAndValuesSayWhatIsWrong() {
        var ambiguous = assertThrows(IllegalArgumentException.class, () -> Settings.with(base, "lr", "1"));
        assertTrue(ambiguous.getMessage().contains("train.lr") && ambiguous.getMessage().contains("other.lr"));
        var missing = assertThrows(IllegalArgumentException.class, () -> Settings.with(base, "learning_rate", "1"));
        assertTrue(missing.getMessage().contains("settings are"), missing.getMessage());
        var bad = assertThrows(IllegalArgumentException.class, () -> Settings.with(base, "seed", "many"));
        assertTrue(bad.getMessage().contains("bad value 'many' for seed"), bad.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Settings.with(base, "train.flip", "yes"));
    }

    @Test
    void describeListsEveryLeaf() {
        String text = Settings.describe(base);
        assertTrue(text.contains("train.mult = 1,2\n") && text.contains("seed = 7\n") && text.contains("name = x\n"), text);
    }

    @Test
    void constructorChecksStillApply() {
        PfgmConfig c = PfgmConfig.paper(100, 40, 3000);
        var e = assertThrows(IllegalArgumentException.class, () -> Settings.with(c, "sigma", "-1"));
        assertTrue(e.getMessage().contains("sigma"), e.getMessage());
    }
}
