"""The drawing every chart drawn as SVG on the server sits in: its size, and the margins that say
where the axes run. The chart macros (templates/macros/) draw the grid and the axes from these;
each chart's own geometry keeps its top margin to itself."""

from dataclasses import dataclass


@dataclass(frozen=True, kw_only=True)
class Frame:
    width: int
    height: int
    left: int
    right: int
    bottom: int

    @property
    def right_x(self) -> int:
        return self.width - self.right

    @property
    def bottom_y(self) -> int:
        return self.height - self.bottom
