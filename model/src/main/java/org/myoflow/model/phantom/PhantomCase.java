package org.myoflow.model.phantom;

import org.myoflow.model.volume.BinaryMask;
import org.myoflow.model.volume.Volume;

/**
 * One simulated study: reconstructed counts, the ground-truth LV myocardium, the LV cavity (blood pool inside the
 * myocardium up to the base plane), and the parameters that produced them.
 */
public record PhantomCase(String id, Volume image, BinaryMask myocardium, BinaryMask cavity,
                          PhantomParameters parameters) {
}
