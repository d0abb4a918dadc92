package pfgm.data;

/** Which part of a data set: the training images or the held-out test images. */
public enum Split {
    TRAIN,
    TEST;

    @Override
    public String toString() {
        return name().toLowerCase();
    }
}
