package org.myoflow.model.network;

/**
 * The architecture of a 3-D U-Net, as recorded in a model's manifest.
 *
 * @param depth number of 2x poolings (input sizes must be divisible by 2^depth)
 * @param baseChannels channels of the first level; doubled at each level down
 * @param normalisation batch or instance normalisation after every convolution
 * @param upsampling how the decoder doubles resolution
 */
public record UNetConfig(int depth, int baseChannels, Normalisation normalisation, Upsampling upsampling) {

    public enum Normalisation { BATCH, INSTANCE }

    /**
     * DJL's PyTorch engine has no 3-D transposed convolution. {@link #DEPTH_TO_SPACE}: a 1x1x1 convolution to 8C
     * channels rearranged into a 2x larger grid, exactly a ConvTranspose3d(kernel 2, stride 2);
     * {@link #NEAREST}: nearest-neighbour upsampling then a 1x1x1 convolution.
     */
    public enum Upsampling { DEPTH_TO_SPACE, NEAREST }

    public UNetConfig {
        if (depth < 1 || depth > 5) {
            throw new IllegalArgumentException("U-Net depth must be 1..5, got " + depth);
        }
        if (baseChannels < 1 || baseChannels > 256) {
            throw new IllegalArgumentException("base channels must be 1..256, got " + baseChannels);
        }
    }

    /** Our default: depth 3, 16 base channels, instance norm, depth-to-space upsampling. */
    public static UNetConfig defaults() {
        return new UNetConfig(3, 16, Normalisation.INSTANCE, Upsampling.DEPTH_TO_SPACE);
    }

    /** Checks that an input of this shape (D, H, W) survives the poolings. */
    public void requireCompatible(long d, long h, long w) {
        long f = 1L << depth;
        if (d % f != 0 || h % f != 0 || w % f != 0) {
            throw new IllegalArgumentException("input " + d + "x" + h + "x" + w + " is not divisible by 2^" + depth);
        }
    }
}
