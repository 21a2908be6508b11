package dev.ravine.data;

/**
 * Geometric changes of one image stored as {@code [C, H, W]} values (row-major, channel first, as IDX images are
 * read): integer shifts, horizontal mirror, and rotation about the centre with bilinear interpolation. Pixels that
 * come from outside the image take the channel's fill value. Each function writes a new array.
 */
public final class ImageWarp {
    /** Source coordinates this close to an integer are that integer: a 90-degree turn then moves pixels exactly. */
    private static final double SNAP = 1e-9;

    private ImageWarp() {}

    /** The image moved {@code dx} pixels right and {@code dy} pixels down: out[c][y][x] = in[c][y - dy][x - dx]. */
    public static float[] shift(float[] image, int channels, int height, int width, int dx, int dy, float[] fill) {
        float[] out = new float[image.length];
        for (int c = 0; c < channels; c++) {
            int plane = c * height * width;
            for (int y = 0; y < height; y++) {
                int sy = y - dy;
                for (int x = 0; x < width; x++) {
                    int sx = x - dx;
                    boolean inside = sy >= 0 && sy < height && sx >= 0 && sx < width;
                    out[plane + y * width + x] = inside ? image[plane + sy * width + sx] : fill[c];
                }
            }
        }
        return out;
    }

    /** The mirror image left to right: out[c][y][x] = in[c][y][W - 1 - x]. */
    public static float[] flipHorizontal(float[] image, int channels, int height, int width) {
        float[] out = new float[image.length];
        for (int row = 0; row < channels * height; row++) {
            int base = row * width;
            for (int x = 0; x < width; x++) out[base + x] = image[base + width - 1 - x];
        }
        return out;
    }

    /**
     * The image turned {@code degrees} counter-clockwise (as displayed, rows going down) about its centre
     * ((W-1)/2, (H-1)/2). Each output pixel samples the input at the inversely rotated position by bilinear
     * interpolation (torch.nn.functional.grid_sample's bilinear mode with align_corners=True).
     */
    public static float[] rotate(float[] image, int channels, int height, int width, double degrees, float[] fill) {
        double theta = Math.toRadians(degrees);
        double cos = Math.cos(theta), sin = Math.sin(theta);
        double cy = (height - 1) / 2.0, cx = (width - 1) / 2.0;
        float[] out = new float[image.length];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double ox = x - cx, oy = y - cy;
                double sx = snap(cx + cos * ox - sin * oy);
                double sy = snap(cy + sin * ox + cos * oy);
                for (int c = 0; c < channels; c++) {
                    out[c * height * width + y * width + x] = bilinear(image, c * height * width, height, width, sy, sx, fill[c]);
                }
            }
        }
        return out;
    }

    private static double snap(double v) {
        double r = Math.rint(v);
        return Math.abs(v - r) < SNAP ? r : v;
    }

    private static float bilinear(float[] image, int plane, int height, int width, double sy, double sx, float fill) {
        int y0 = (int) Math.floor(sy), x0 = (int) Math.floor(sx);
        double wy = sy - y0, wx = sx - x0;
        double v = (1 - wy) * (1 - wx) * pixel(image, plane, height, width, y0, x0, fill)
                + (1 - wy) * wx * pixel(image, plane, height, width, y0, x0 + 1, fill)
                + wy * (1 - wx) * pixel(image, plane, height, width, y0 + 1, x0, fill)
                + wy * wx * pixel(image, plane, height, width, y0 + 1, x0 + 1, fill);
        return (float) v;
    }

    private static float pixel(float[] image, int plane, int height, int width, int y, int x, float fill) {
        return y >= 0 && y < height && x >= 0 && x < width ? image[plane + y * width + x] : fill;
    }
}
