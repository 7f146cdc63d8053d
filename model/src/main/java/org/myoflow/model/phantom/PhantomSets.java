package org.myoflow.model.phantom;

import java.util.ArrayList;
import java.util.List;

/**
 * The seed ranges of the phantom sets, disjoint by construction, so a held-out case can never have been trained on.
 * Training 1,000,000+, validation 2,000,000+, the fixed held-out set 7,000,000+ (10 normal, 10 with hot liver/bowel
 * and perfusion defects), the demo 20,261,123+.
 */
public final class PhantomSets {
    public static final long TRAINING = 1_000_000L;
    public static final long VALIDATION = 2_000_000L;
    public static final long HELD_OUT = 7_000_000L;
    public static final int HELD_OUT_SIZE = 20;

    private PhantomSets() {
    }

    /** A seeded case of a set: even indices normal, odd ones hard (hot liver/bowel and 1-2 defects). */
    public record Entry(String id, long seed, PhantomOptions options) {
        public PhantomCase generate() {
            return SpectPhantom.generate(id, seed, options);
        }
    }

    /** The same cases seen by one camera of this resolution (null: as drawn per case). */
    public static List<Entry> withPsfFwhm(List<Entry> entries, Double fwhmMm) {
        List<Entry> out = new ArrayList<>();
        for (Entry e : entries) {
            out.add(new Entry(e.id(), e.seed(), e.options().withPsfFwhm(fwhmMm)));
        }
        return out;
    }

    public static List<Entry> training(int n) {
        return mixed("train", TRAINING, n);
    }

    public static List<Entry> validation(int n) {
        return mixed("val", VALIDATION, n);
    }

    /** The fixed held-out set every model is scored and compared on. */
    public static List<Entry> heldOut() {
        return mixed("heldout", HELD_OUT, HELD_OUT_SIZE);
    }

    public static List<Entry> mixed(String prefix, long firstSeed, int n) {
        List<Entry> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new Entry(String.format("%s_%04d", prefix, i), firstSeed + i, PhantomOptions.mixed(i)));
        }
        return out;
    }
}
