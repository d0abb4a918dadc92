package pfgm.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BudgetTest {
    @Test
    void parsesTheThreeBudgetsAndDefaultsToLaptop() {
        assertEquals(Budget.LAPTOP, Budget.parse(null));
        assertEquals(Budget.SMOKE, Budget.parse("smoke"));
        assertEquals(Budget.PAPER, Budget.parse(" Paper "));
        assertEquals(10, Budget.parse("smoke").pick(10, 20, 30));
        assertEquals(30, Budget.parse("paper").pick(10, 20, 30));
        var e = assertThrows(IllegalArgumentException.class, () -> Budget.parse("huge"));
        assertTrue(e.getMessage().contains("smoke, laptop or paper"), e.getMessage());
    }
}
