package org.myoflow.infra.cli;

import java.util.Arrays;

/** Median wall time of repeated runs after untimed warm-up runs, as every benchmark command reports it. */
final class Timing {
    private Timing() {
    }

    static double medianMillis(int warmup, int reps, Runnable r) {
        for (int i = 0; i < warmup; i++) {
            r.run();
        }
        double[] t = new double[reps];
        for (int i = 0; i < reps; i++) {
            long t0 = System.nanoTime();
            r.run();
            t[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(t);
        return t[reps / 2];
    }
}
