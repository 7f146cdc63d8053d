package org.myoflow.model.network;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Instance normalisation without affine parameters: each channel of each sample is normalised over D, H, W. DJL has
 * no 3-D instance norm block; the following convolution provides the scale, and ReLU follows.
 */
final class InstanceNorm3d extends AbstractBlock {
    private static final float EPS = 1e-5f;

    InstanceNorm3d() {
        super((byte) 1);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        Shape s = x.getShape();
        // DJL's PyTorch mean takes one axis: flatten D, H, W into one
        NDArray flat = x.reshape(s.get(0), s.get(1), -1);
        NDArray centred = flat.sub(flat.mean(new int[] {2}, true));
        NDArray var = centred.square().mean(new int[] {2}, true);
        return new NDList(centred.div(var.add(EPS).sqrt()).reshape(s));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }
}
