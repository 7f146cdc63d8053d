package org.myoflow.model.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.myoflow.model.phantom.PhantomCase;
import org.myoflow.model.phantom.PhantomOptions;
import org.myoflow.model.phantom.SpectPhantom;
import org.myoflow.model.volume.BinaryMask;

/** Against the phantoms' own wall thickness parameter. */
class WallThicknessTest {

    @Test
    void meanThicknessMatchesThePhantomsWall() {
        for (int i = 0; i < 8; i++) {
            PhantomCase p = SpectPhantom.generate("wall", 500 + i, PhantomOptions.mixed(i));
            double t = WallThickness.meanMm(p.myocardium(), LvCavity.fromMyocardium(p.myocardium()));
            double truth = p.parameters().wallThickness();
            assertEquals(truth, t, 1.5, "case " + i);
        }
    }

    @Test
    void undefinedWithoutACavity() {
        PhantomCase p = SpectPhantom.generate("wall", 599, PhantomOptions.normal());
        assertTrue(Double.isNaN(WallThickness.meanMm(p.myocardium(), BinaryMask.empty(p.myocardium().grid()))));
    }
}
