package org.myoflow.model.network;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
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
        // PyTorch's native layer norm over the trailing (D, H, W) axes is exactly instance norm without affine; its
        // backward is fused and stable (a hand-built mean/variance graph gave NaN gradients now and then on tiny maps)
        Shape spatial = s.slice(2);
        NDManager m = x.getManager();
        NDArray ones = m.ones(spatial, x.getDataType(), x.getDevice());
        NDArray zeros = m.zeros(spatial, x.getDataType(), x.getDevice());
        return new NDList(x.getNDArrayInternal().layerNorm(x, spatial, ones, zeros, EPS).singletonOrThrow());
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }
}
