package org.myoflow.model.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AugmenterTest {

    private static TrainingCase blob() {
        int nx = 12, ny = 12, nz = 8;
        float[] img = new float[nx * ny * nz];
        boolean[] mask = new boolean[img.length];
        for (int z = 0, i = 0; z < nz; z++) {
            for (int y = 0; y < ny; y++) {
                for (int x = 0; x < nx; x++, i++) {
                    mask[i] = x >= 2 && x < 6 && y >= 3 && y < 9 && z >= 2 && z < 5; // off-centre box
                    img[i] = mask[i] ? 1f : 0f;
                }
            }
        }
        return new TrainingCase("b", img, mask, new int[] {nx, ny, nz});
    }

    @Test
    void flipsMirrorImageAndMaskExactly() {
        TrainingCase c = blob();
        TrainingCase f = new Augmenter(new Augmentation(1, false, 0, 0, 0, 0, 0)).apply(c, new SplittableRandom(1));
        int nx = 12, ny = 12, nz = 8;
        for (int z = 0; z < nz; z++) {
            for (int y = 0; y < ny; y++) {
                for (int x = 0; x < nx; x++) {
                    int src = (nx - 1 - x) + nx * ((ny - 1 - y) + ny * (nz - 1 - z));
                    int dst = x + nx * (y + ny * z);
                    assertEquals(c.mask()[src], f.mask()[dst]);
                    assertEquals(c.image()[src], f.image()[dst], 1e-6);
                }
            }
        }
    }

    @Test
    void imageAndMaskMoveTogetherUnderRotationAndScaling() {
        TrainingCase c = blob();
        Augmenter aug = new Augmenter(new Augmentation(0.5, true, 15, 0.1, 0, 0, 0));
        SplittableRandom rnd = new SplittableRandom(3);
        for (int t = 0; t < 10; t++) {
            TrainingCase a = aug.apply(c, rnd);
            int agree = 0, total = 0;
            for (int i = 0; i < a.mask().length; i++) {
                boolean fromImage = a.image()[i] >= 0.5f;
                if (fromImage || a.mask()[i]) {
                    total++;
                    if (fromImage == a.mask()[i]) {
                        agree++;
                    }
                }
            }
            assertTrue(agree >= 0.85 * total, "image and mask agree on " + agree + " of " + total);
        }
    }

    @Test
    void noAugmentationIsTheIdentity() {
        TrainingCase c = blob();
        TrainingCase same = new Augmenter(Augmentation.none()).apply(c, new SplittableRandom(1));
        assertArrayEquals(c.image(), same.image());
    }
}
