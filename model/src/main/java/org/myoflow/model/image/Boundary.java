package org.myoflow.model.image;

/** Index mapping outside a line, scipy.ndimage's {@code reflect} mode (d c b a | a b c d | d c b a). */
final class Boundary {
    private Boundary() {
    }

    static int reflect(int i, int n) {
        if (n == 1) {
            return 0;
        }
        int period = 2 * n;
        i = Math.floorMod(i, period);
        return i < n ? i : period - 1 - i;
    }
}
