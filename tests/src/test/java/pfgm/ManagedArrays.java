package pfgm;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Test classes that make NDArrays extend this: one manager per class, closed after its tests. */
public abstract class ManagedArrays {
    protected static NDManager manager;

    @BeforeAll
    protected static void openManager() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    protected static void closeManager() {
        manager.close();
    }
}
