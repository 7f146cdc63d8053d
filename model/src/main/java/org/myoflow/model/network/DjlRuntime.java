package org.myoflow.model.network;

import ai.djl.Device;
import ai.djl.engine.Engine;

/**
 * The one place the PyTorch engine is configured: offline (nothing downloaded at run time; the CPU natives come from
 * the class path), thread counts, and which device is used. CUDA is used when DJL finds a GPU, the CPU otherwise.
 */
public final class DjlRuntime {
    private DjlRuntime() {
    }

    /** Sets engine properties unless already given (-D on the command line wins). Call before first engine use. */
    public static Engine configure(int threads) {
        setIfAbsent("ai.djl.offline", "true");
        setIfAbsent("ai.djl.pytorch.num_threads", String.valueOf(threads));
        setIfAbsent("ai.djl.pytorch.num_interop_threads", "1");
        return Engine.getEngine("PyTorch");
    }

    public static Device device() {
        return Engine.getEngine("PyTorch").defaultDevice();
    }

    /** e.g. "PyTorch 2.7.1 on cpu()". */
    public static String describe() {
        Engine e = Engine.getEngine("PyTorch");
        return e.getEngineName() + " " + e.getVersion() + " on " + e.defaultDevice();
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
