package org.myoflow.model.io;

/** NIfTI-1 voxel datatypes this reader and writer support ({@code datatype} code and {@code bitpix}). */
public enum NiftiDataType {
    UINT8(2, 8, 0, 255),
    INT16(4, 16, Short.MIN_VALUE, Short.MAX_VALUE),
    INT32(8, 32, Integer.MIN_VALUE, Integer.MAX_VALUE),
    FLOAT32(16, 32, -Float.MAX_VALUE, Float.MAX_VALUE),
    FLOAT64(64, 64, -Double.MAX_VALUE, Double.MAX_VALUE),
    INT8(256, 8, Byte.MIN_VALUE, Byte.MAX_VALUE),
    UINT16(512, 16, 0, 65535),
    UINT32(768, 32, 0, 4294967295.0);

    private final int code;
    private final int bitpix;
    private final double min;
    private final double max;

    NiftiDataType(int code, int bitpix, double min, double max) {
        this.code = code;
        this.bitpix = bitpix;
        this.min = min;
        this.max = max;
    }

    public int code() {
        return code;
    }

    public int bitpix() {
        return bitpix;
    }

    public int bytes() {
        return bitpix / 8;
    }

    boolean isInteger() {
        return this != FLOAT32 && this != FLOAT64;
    }

    /** Rounds and clamps a value to what this type can hold. */
    double fit(double v) {
        if (!isInteger()) {
            return v;
        }
        return Math.max(min, Math.min(max, Math.rint(v)));
    }

    public static NiftiDataType fromCode(int code) throws NiftiFormatException {
        for (NiftiDataType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        throw new NiftiFormatException("unsupported NIfTI datatype code " + code
                + " (supported: uint8, int8, int16, uint16, int32, uint32, float32, float64)");
    }
}
