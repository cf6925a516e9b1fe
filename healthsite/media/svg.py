"""SVG drawings, sanitised: parsed with defusedxml, rebuilt from an allowlist.

An SVG file is a document that can carry scripts, event handlers, links to other websites and
whole HTML pages (`<foreignObject>`). The browser runs none of that in an `<img>`, but a patient
who opens the picture on its own would, so what we publish keeps only drawing: shapes, text,
gradients, filters and links inside the file itself (`#id`). defusedxml refuses entity tricks
(billion laughs, external entities) before anything is looked at.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

SVG = "http://www.w3.org/2000/svg"
XLINK = "http://www.w3.org/1999/xlink"
XML = "http://www.w3.org/XML/1998/namespace"

_ELEMENT_NAMES = """
    svg g defs symbol use title desc path rect circle ellipse line polyline polygon text tspan
    textPath switch linearGradient radialGradient stop clipPath mask pattern marker filter style
    feBlend feColorMatrix feComponentTransfer feComposite feConvolveMatrix feDiffuseLighting
    feDisplacementMap feDistantLight feDropShadow feFlood feFuncA feFuncB feFuncG feFuncR
    feGaussianBlur feMerge feMergeNode feMorphology feOffset fePointLight feSpecularLighting
    feSpotLight feTile feTurbulence"""
ELEMENTS = frozenset(_ELEMENT_NAMES.split())
#: Dropped without a word: editors' bookkeeping (and file paths of the editor's computer).
QUIET = frozenset({"metadata", "sodipodi:namedview", "namedview"})
_ATTRIBUTE_NAMES = """
    id class style viewBox width height x y x1 y1 x2 y2 cx cy r rx ry fx fy fr d points
    transform fill fill-opacity fill-rule stroke stroke-width stroke-linecap stroke-linejoin
    stroke-miterlimit stroke-dasharray stroke-dashoffset stroke-opacity opacity color
    display visibility overflow clip-path clip-rule mask filter marker-start marker-mid
    marker-end font-family font-size font-style font-weight font-variant text-anchor
    dominant-baseline alignment-baseline baseline-shift letter-spacing word-spacing
    text-decoration writing-mode direction lang role aria-label aria-hidden aria-labelledby
    aria-describedby focusable preserveAspectRatio gradientUnits gradientTransform
    spreadMethod offset stop-color stop-opacity patternUnits patternContentUnits
    patternTransform clipPathUnits maskUnits maskContentUnits markerWidth markerHeight
    markerUnits refX refY orient filterUnits primitiveUnits in in2 result stdDeviation dx dy
    mode operator k1 k2 k3 k4 values type tableValues slope intercept amplitude exponent
    flood-color flood-opacity lighting-color surfaceScale diffuseConstant specularConstant
    specularExponent kernelMatrix order divisor bias targetX targetY edgeMode scale
    xChannelSelector yChannelSelector radius baseFrequency numOctaves seed stitchTiles
    azimuth elevation pointsAtX pointsAtY pointsAtZ limitingConeAngle z textLength
    lengthAdjust startOffset method spacing vector-effect shape-rendering text-rendering
    color-interpolation color-interpolation-filters paint-order mix-blend-mode isolation
    version baseProfile media"""
ATTRIBUTES = frozenset(_ATTRIBUTE_NAMES.split())
#: Anything in CSS that reaches outside the file, or runs code.
UNSAFE_CSS = re.compile(
    r"@import|url\(\s*['\"]?\s*(?!#)|expression\s*\(|javascript:|-moz-binding", re.I
)
UNSAFE_VALUE = re.compile(r"^\s*(javascript|vbscript|data):", re.I)


@dataclass(frozen=True, slots=True)
class SanitisedSvg:
    """A drawing ready to publish, its size, and what had to be taken out."""

    content: bytes
    width: int
    height: int
    removed: tuple[str, ...]
    """What was unsafe (`<script>`, `onclick`, a link to another site...), for the warning."""


class SvgError(ValueError):
    """The file is not an SVG drawing we can read."""


def sanitise_svg(data: bytes) -> SanitisedSvg:
    """Keep the drawing, drop everything else; raise `SvgError` for a file that is not SVG."""
    try:
        root = SafeET.fromstring(data, forbid_dtd=False)
    except (ET.ParseError, DefusedXmlException, ValueError) as exc:
        raise SvgError(f"not a well-formed SVG file ({exc})") from None
    if root.tag != f"{{{SVG}}}svg":
        raise SvgError("not an SVG drawing (its first element is not <svg>)")
    removed: list[str] = []
    _clean(root, removed)
    width, height = _size(root)
    # ElementTree's prefixes are one table for the whole process (the feeds use it too): set
    # ours right before writing
    ET.register_namespace("", SVG)
    ET.register_namespace("xlink", XLINK)
    content = ET.tostring(root, encoding="utf-8", xml_declaration=False)
    return SanitisedSvg(content, width, height, tuple(sorted(set(removed))))


def _clean(element: ET.Element, removed: list[str]) -> None:
    """Clean one element's attributes and children, in place (the tree is ours alone)."""
    for name, value in list(element.attrib.items()):
        if not _keep_attribute(name, value):
            del element.attrib[name]
            local = _local(name)
            if local.startswith("on") or local == "href" or _unsafe(value):
                removed.append(f"{local}=")
    for child in list(element):
        if not isinstance(child.tag, str):  # comments, processing instructions
            element.remove(child)
            continue
        local = _local(child.tag)
        if _namespace(child.tag) != SVG or local not in ELEMENTS:
            element.remove(child)
            if local not in QUIET and _namespace(child.tag) in (SVG, ""):
                removed.append(f"<{local}>")
            continue
        if local == "style" and UNSAFE_CSS.search(child.text or ""):
            element.remove(child)
            removed.append("<style> with outside references")
            continue
        _clean(child, removed)


def _keep_attribute(name: str, value: str) -> bool:
    namespace, local = _namespace(name), _local(name)
    if local == "href" and namespace in ("", XLINK):
        return value.strip().startswith("#")  # a link inside the drawing only
    if namespace == XML:
        return local in ("space", "lang")
    if namespace or local not in ATTRIBUTES:
        return False
    return not _unsafe(value)


def _unsafe(value: str) -> bool:
    return bool(UNSAFE_VALUE.match(value) or UNSAFE_CSS.search(value))


def _namespace(name: str) -> str:
    return name[1:].split("}", 1)[0] if name.startswith("{") else ""


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1]


LENGTH = re.compile(r"^\s*([0-9]*\.?[0-9]+)\s*(px)?\s*$")


def _size(root: ET.Element) -> tuple[int, int]:
    """Width and height in CSS pixels: from `width`/`height`, else from the `viewBox`."""
    width, height = (LENGTH.match(root.get(n, "")) for n in ("width", "height"))
    if width and height:
        return round(float(width[1])), round(float(height[1]))
    box = re.split(r"[\s,]+", root.get("viewBox", "").strip())
    try:
        w, h = float(box[2]), float(box[3])
    except (IndexError, ValueError):
        return 0, 0
    return (round(w), round(h)) if w > 0 and h > 0 else (0, 0)
