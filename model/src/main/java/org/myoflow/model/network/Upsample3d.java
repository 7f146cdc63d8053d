package org.myoflow.model.network;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv3d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** Doubles D, H and W and maps to {@code channels} channels (see {@link UNetConfig.Upsampling}). */
final class Upsample3d extends AbstractBlock {
    private final int channels;
    private final UNetConfig.Upsampling mode;
    private final Block conv;

    Upsample3d(int channels, UNetConfig.Upsampling mode) {
        super((byte) 1);
        this.channels = channels;
        this.mode = mode;
        int filters = mode == UNetConfig.Upsampling.DEPTH_TO_SPACE ? 8 * channels : channels;
        conv = addChildBlock("conv", Conv3d.builder().setKernelShape(new Shape(1, 1, 1)).setFilters(filters).build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        Shape s = x.getShape();
        long n = s.get(0), d = s.get(2), h = s.get(3), w = s.get(4);
        if (mode == UNetConfig.Upsampling.NEAREST) {
            // repeat every voxel twice along each axis, then mix channels
            NDArray up = x.repeat(2, 2).repeat(3, 2).repeat(4, 2);
            return conv.forward(ps, new NDList(up), training);
        }
        NDArray y = conv.forward(ps, new NDList(x), training).singletonOrThrow();
        // (N, C*2*2*2, D, H, W) -> (N, C, 2, 2, 2, D, H, W) -> (N, C, D, 2, H, 2, W, 2) -> (N, C, 2D, 2H, 2W)
        NDArray r = y.reshape(n, channels, 2, 2, 2, d, h, w).transpose(0, 1, 5, 2, 6, 3, 7, 4);
        return new NDList(r.reshape(n, channels, 2 * d, 2 * h, 2 * w));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        return new Shape[] {new Shape(s.get(0), channels, 2 * s.get(2), 2 * s.get(3), 2 * s.get(4))};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape s = inputShapes[0];
        Shape convIn = mode == UNetConfig.Upsampling.NEAREST
                ? new Shape(s.get(0), s.get(1), 2 * s.get(2), 2 * s.get(3), 2 * s.get(4)) : s;
        conv.initialize(manager, dataType, convIn);
    }
}
