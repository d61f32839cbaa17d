package io.flhetero.fl.api;

/** The federated evaluation of one round: loss and accuracy averaged over clients, weighted by test examples. */
public record Evaluation(double loss, double accuracy, int examples) {

    public static final Evaluation NONE = new Evaluation(Double.NaN, Double.NaN, 0);

    public boolean present() {
        return examples > 0;
    }
}
