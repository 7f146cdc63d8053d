package org.myoflow.model.network;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv3d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * A 3-D U-Net for one foreground class. Input (N, 1, D, H, W), output logits (N, 1, D, H, W). Each level is two
 * 3x3x3 convolutions with normalisation and ReLU; the encoder max-pools by 2, the decoder upsamples by 2 and
 * concatenates the encoder's features at the same level (skip connections).
 */
public final class UNet3d extends AbstractBlock {
    private static final byte VERSION = 1;

    private final UNetConfig config;
    private final List<Block> encoders = new ArrayList<>();
    private final List<Block> pools = new ArrayList<>();
    private final Block bottleneck;
    private final List<Block> upsamplers = new ArrayList<>();
    private final List<Block> decoders = new ArrayList<>();
    private final Block head;

    public UNet3d(UNetConfig config) {
        super(VERSION);
        this.config = config;
        int c = config.baseChannels();
        for (int level = 0; level < config.depth(); level++) {
            encoders.add(addChildBlock("enc" + level, doubleConv(c << level, config.normalisation())));
            pools.add(addChildBlock("pool" + level, Pool.maxPool3dBlock(new Shape(2, 2, 2), new Shape(2, 2, 2))));
        }
        bottleneck = addChildBlock("bottleneck", doubleConv(c << config.depth(), config.normalisation()));
        for (int level = config.depth() - 1; level >= 0; level--) {
            upsamplers.add(addChildBlock("up" + level, new Upsample3d(c << level, config.upsampling())));
            decoders.add(addChildBlock("dec" + level, doubleConv(c << level, config.normalisation())));
        }
        head = addChildBlock("head", Conv3d.builder().setKernelShape(new Shape(1, 1, 1)).setFilters(1).build());
    }

    public UNetConfig config() {
        return config;
    }

    static Block doubleConv(int channels, UNetConfig.Normalisation norm) {
        SequentialBlock b = new SequentialBlock();
        for (int i = 0; i < 2; i++) {
            b.add(Conv3d.builder().setKernelShape(new Shape(3, 3, 3)).optPadding(new Shape(1, 1, 1))
                    .setFilters(channels).optBias(false).build());
            b.add(norm == UNetConfig.Normalisation.BATCH ? BatchNorm.builder().build() : new InstanceNorm3d());
            b.add(Activation.reluBlock());
        }
        return b;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        List<NDArray> skips = new ArrayList<>();
        for (int level = 0; level < config.depth(); level++) {
            x = encoders.get(level).forward(ps, new NDList(x), training).singletonOrThrow();
            skips.add(x);
            x = pools.get(level).forward(ps, new NDList(x), training).singletonOrThrow();
        }
        x = bottleneck.forward(ps, new NDList(x), training).singletonOrThrow();
        for (int i = 0; i < config.depth(); i++) {
            int level = config.depth() - 1 - i;
            x = upsamplers.get(i).forward(ps, new NDList(x), training).singletonOrThrow();
            x = skips.get(level).concat(x, 1);
            x = decoders.get(i).forward(ps, new NDList(x), training).singletonOrThrow();
        }
        return head.forward(ps, new NDList(x), training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        return new Shape[] {new Shape(s.get(0), 1, s.get(2), s.get(3), s.get(4))};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape in = inputShapes[0];
        config.requireCompatible(in.get(2), in.get(3), in.get(4));
        Shape x = in;
        List<Shape> skipShapes = new ArrayList<>();
        for (int level = 0; level < config.depth(); level++) {
            x = init(encoders.get(level), manager, dataType, x);
            skipShapes.add(x);
            x = init(pools.get(level), manager, dataType, x);
        }
        x = init(bottleneck, manager, dataType, x);
        for (int i = 0; i < config.depth(); i++) {
            int level = config.depth() - 1 - i;
            x = init(upsamplers.get(i), manager, dataType, x);
            Shape skip = skipShapes.get(level);
            x = new Shape(x.get(0), skip.get(1) + x.get(1), x.get(2), x.get(3), x.get(4));
            x = init(decoders.get(i), manager, dataType, x);
        }
        init(head, manager, dataType, x);
    }

    private static Shape init(Block b, NDManager manager, DataType dataType, Shape in) {
        b.initialize(manager, dataType, in);
        return b.getOutputShapes(new Shape[] {in})[0];
    }
}
