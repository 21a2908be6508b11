package dev.ravine.kernel;

/**
 * A cut of an m x n matrix C into rowParts x colParts rectangular tiles, one task each. Cuts fall on multiples of
 * the kernel's granules (only the last tile of a row or column may be ragged), so whatever the number of parts,
 * C is covered by the same register blocks and every element is computed the same way.
 */
record TileGrid(int m, int n, int rowParts, int colParts, int rowGranule, int colGranule) {

    /** The whole matrix as a single tile. */
    static TileGrid whole(int m, int n) {
        return new TileGrid(m, n, 1, 1, 1, 1);
    }

    /**
     * Cuts into about {@code parts} tiles (fewer when C has fewer granule blocks). Of the factorisations
     * rows x cols of parts it keeps the one with the smallest tile half-perimeter, because a tile's packing work
     * grows with its rows + columns while its arithmetic grows with their product.
     */
    static TileGrid cut(int m, int n, int parts, int rowGranule, int colGranule) {
        int rowBlocks = Math.ceilDiv(m, rowGranule);
        int colBlocks = Math.ceilDiv(n, colGranule);
        TileGrid best = whole(m, n);
        long bestPerimeter = Long.MAX_VALUE;
        for (int rows = 1; rows <= parts; rows++) {
            if (parts % rows != 0) continue;
            int r = Math.min(rows, rowBlocks);
            int c = Math.min(parts / rows, colBlocks);
            TileGrid grid = new TileGrid(m, n, r, c, rowGranule, colGranule);
            long perimeter = (long) Math.ceilDiv(rowBlocks, r) * rowGranule + (long) Math.ceilDiv(colBlocks, c) * colGranule;
            if (grid.tiles() > best.tiles() || grid.tiles() == best.tiles() && perimeter < bestPerimeter) {
                best = grid;
                bestPerimeter = perimeter;
            }
        }
        return best;
    }

    int tiles() {
        return rowParts * colParts;
    }

    int rowStart(int tile) {
        return boundary(tile / colParts, rowParts, m, rowGranule);
    }

    int rowEnd(int tile) {
        return boundary(tile / colParts + 1, rowParts, m, rowGranule);
    }

    int colStart(int tile) {
        return boundary(tile % colParts, colParts, n, colGranule);
    }

    int colEnd(int tile) {
        return boundary(tile % colParts + 1, colParts, n, colGranule);
    }

    /** Part i starts after i/parts of the granule blocks, so parts differ by at most one block. */
    private static int boundary(int part, int parts, int size, int granule) {
        long blocks = Math.ceilDiv(size, granule);
        return (int) Math.min(size, part * blocks / parts * granule);
    }
}
