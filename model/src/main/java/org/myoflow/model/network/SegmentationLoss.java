package org.myoflow.model.network;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;
import ai.djl.training.loss.Loss;

/** Losses on logits against a 0/1 mask: BCE-with-logits, soft Dice, or their sum. */
public final class SegmentationLoss extends Loss {
    private static final int[] PER_SAMPLE = {1, 2, 3, 4};

    public enum Kind { BCE, DICE, BCE_DICE }

    private final Kind kind;

    public SegmentationLoss(Kind kind) {
        super("loss_" + kind.name().toLowerCase());
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    /** labels: (N, 1, D, H, W) of 0/1; predictions: logits of the same shape. */
    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        NDArray logits = predictions.singletonOrThrow();
        NDArray y = labels.singletonOrThrow();
        return switch (kind) {
            case BCE -> bce(logits, y);
            case DICE -> softDice(logits, y);
            case BCE_DICE -> bce(logits, y).add(softDice(logits, y));
        };
    }

    /** max(x, 0) - x*y + log(1 + exp(-|x|)), the numerically stable form, averaged over voxels. */
    static NDArray bce(NDArray x, NDArray y) {
        return x.maximum(0f).sub(x.mul(y)).add(x.abs().neg().exp().add(1f).log()).mean();
    }

    /** 1 - mean over samples of (2 sum(p y) + 1) / (sum(p) + sum(y) + 1), p = sigmoid(x). */
    static NDArray softDice(NDArray x, NDArray y) {
        NDArray p = Activation.sigmoid(x);
        NDArray inter = p.mul(y).sum(PER_SAMPLE);
        NDArray denom = p.sum(PER_SAMPLE).add(y.sum(PER_SAMPLE));
        return inter.mul(2f).add(1f).div(denom.add(1f)).mean().neg().add(1f);
    }
}
