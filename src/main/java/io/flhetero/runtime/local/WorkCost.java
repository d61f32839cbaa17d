package io.flhetero.runtime.local;

/**
 * What a batch of work costs this host's engine, in CPU seconds of one core: a fixed part per batch and a part per
 * image, for training and for evaluation. Fitted by {@code bench calibrate} to the in-process clients' thread CPU
 * time over several batch sizes; with it, device time is counted from the work done instead of measured, so that
 * the same run gives the same device times (and the same order of FedBuff's updates and deadlines) every time.
 */
public record WorkCost(double trainPerBatch, double trainPerImage, double evaluatePerBatch,
                       double evaluatePerImage) {

    public double training(int batches, int images) {
        return trainPerBatch * batches + trainPerImage * images;
    }

    public double evaluation(int batches, int images) {
        return evaluatePerBatch * batches + evaluatePerImage * images;
    }

    /**
     * The least-squares line {@code seconds = perBatch * batches + perImage * images} through measurements, each
     * {batches, images, seconds}; the per-batch part is kept at 0 or more.
     */
    public static double[] fitLine(double[][] measured) {
        double sbb = 0;
        double sbi = 0;
        double sii = 0;
        double sbs = 0;
        double sis = 0;
        for (double[] m : measured) {
            sbb += m[0] * m[0];
            sbi += m[0] * m[1];
            sii += m[1] * m[1];
            sbs += m[0] * m[2];
            sis += m[1] * m[2];
        }
        double det = sbb * sii - sbi * sbi;
        double perBatch = det == 0 ? 0 : (sbs * sii - sis * sbi) / det;
        if (perBatch < 0 || det == 0) {
            return new double[] {0, sii == 0 ? 0 : sis / sii};
        }
        return new double[] {perBatch, (sbb * sis - sbi * sbs) / det};
    }
}
