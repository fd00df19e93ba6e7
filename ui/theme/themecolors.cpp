#include "themecolors.h"

#include <QPalette>

#include <algorithm>
#include <cmath>

namespace wsprobe {
namespace {

// Text in a colour should reach WCAG's AA ratio for normal text.
constexpr double ReadableContrast = 4.5;

// One shade for white paper, one for a dark background. The dark ones keep the hue and reach at
// least 4.5:1 on a #1e1e1e base; the light ones are the colours the GUI always had.
QColor pick(const QPalette &palette, QRgb light, QRgb dark)
{
    return QColor::fromRgb(ThemeColors::isDark(palette) ? dark : light);
}

double channelLuminance(float channel)
{
    return channel <= 0.04045 ? channel / 12.92 : std::pow((channel + 0.055) / 1.055, 2.4);
}

double luminance(const QColor &color)
{
    return 0.2126 * channelLuminance(color.redF()) + 0.7152 * channelLuminance(color.greenF())
        + 0.0722 * channelLuminance(color.blueF());
}

} // namespace

bool ThemeColors::isDark(const QPalette &palette)
{
    return palette.color(QPalette::Window).lightness() < 128;
}

QColor ThemeColors::failure(const QPalette &palette)
{
    return pick(palette, 0xd32f2f, 0xf47067);
}

QColor ThemeColors::success(const QPalette &palette)
{
    return pick(palette, 0x2e9d4f, 0x3fb950);
}

QColor ThemeColors::info(const QPalette &palette)
{
    return pick(palette, 0x1e88e5, 0x58a6ff);
}

QColor ThemeColors::incoming(const QPalette &palette)
{
    return success(palette);
}

QColor ThemeColors::outgoing(const QPalette &palette)
{
    return info(palette);
}

QColor ThemeColors::warning(const QPalette &palette)
{
    return pick(palette, 0x9a6700, 0xd29922);
}

QColor ThemeColors::reference(const QPalette &palette)
{
    return pick(palette, 0xc25e00, 0xf0883e);
}

QColor ThemeColors::muted(const QPalette &palette)
{
    // Half way from text to paper: quieter than text, yet readable (unlike many palettes'
    // disabled text) on light and dark alike.
    const QColor text = palette.color(QPalette::Text);
    const QColor base = palette.color(QPalette::Base);
    return QColor::fromRgbF((text.redF() + base.redF()) / 2, (text.greenF() + base.greenF()) / 2,
                            (text.blueF() + base.blueF()) / 2);
}

QColor ThemeColors::searchMatch(const QPalette &palette)
{
    // Less amber on a dark base: enough to find the row, not so much that light text fades.
    return QColor(255, 193, 7, isDark(palette) ? 70 : 90);
}

double ThemeColors::contrast(const QColor &a, const QColor &b)
{
    const double la = luminance(a);
    const double lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

QColor ThemeColors::readable(const QColor &color, const QPalette &palette)
{
    const QColor base = palette.color(QPalette::Base);
    if (contrast(color, base) >= ReadableContrast)
        return color;
    const bool lighten = luminance(base) < 0.18;  // below mid-grey, light text reads better
    QColor shade = color.toHsl();
    for (int step = 0; step < 20 && contrast(shade, base) < ReadableContrast; ++step) {
        const float lightness = std::clamp(shade.lightnessF() + (lighten ? 0.05f : -0.05f), 0.f, 1.f);
        shade.setHslF(shade.hslHueF(), shade.hslSaturationF(), lightness, shade.alphaF());
    }
    return shade.toRgb();
}

} // namespace wsprobe
