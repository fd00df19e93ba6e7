#include "theme.h"

#include <QApplication>
#include <QSettings>
#include <QStyle>
#include <QStyleFactory>

using namespace Qt::StringLiterals;

namespace wsprobe {
namespace {

const QString SettingsKey = u"appearance/theme"_s;

// The roles a palette needs, from which both of ours are built.
struct PaletteColors
{
    QRgb window, windowText, base, alternateBase, text, button, highlight, highlightedText;
    QRgb light, midlight, mid, dark, shadow, toolTipBase, link, linkVisited, placeholder;
    QRgb disabledText, disabledBase, disabledHighlight;
};

QPalette build(const PaletteColors &c)
{
    QPalette palette;
    palette.setColor(QPalette::Window, QColor::fromRgb(c.window));
    palette.setColor(QPalette::WindowText, QColor::fromRgb(c.windowText));
    palette.setColor(QPalette::Base, QColor::fromRgb(c.base));
    palette.setColor(QPalette::AlternateBase, QColor::fromRgb(c.alternateBase));
    palette.setColor(QPalette::Text, QColor::fromRgb(c.text));
    palette.setColor(QPalette::Button, QColor::fromRgb(c.button));
    palette.setColor(QPalette::ButtonText, QColor::fromRgb(c.text));
    palette.setColor(QPalette::BrightText, QColor::fromRgb(c.highlightedText));
    palette.setColor(QPalette::Highlight, QColor::fromRgb(c.highlight));
    palette.setColor(QPalette::HighlightedText, QColor::fromRgb(c.highlightedText));
    palette.setColor(QPalette::Light, QColor::fromRgb(c.light));
    palette.setColor(QPalette::Midlight, QColor::fromRgb(c.midlight));
    palette.setColor(QPalette::Mid, QColor::fromRgb(c.mid));
    palette.setColor(QPalette::Dark, QColor::fromRgb(c.dark));
    palette.setColor(QPalette::Shadow, QColor::fromRgb(c.shadow));
    palette.setColor(QPalette::ToolTipBase, QColor::fromRgb(c.toolTipBase));
    palette.setColor(QPalette::ToolTipText, QColor::fromRgb(c.text));
    palette.setColor(QPalette::Link, QColor::fromRgb(c.link));
    palette.setColor(QPalette::LinkVisited, QColor::fromRgb(c.linkVisited));
    palette.setColor(QPalette::PlaceholderText, QColor::fromRgb(c.placeholder));
    for (QPalette::ColorRole role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText,
                                     QPalette::HighlightedText, QPalette::PlaceholderText}) {
        palette.setColor(QPalette::Disabled, role, QColor::fromRgb(c.disabledText));
    }
    palette.setColor(QPalette::Disabled, QPalette::Base, QColor::fromRgb(c.disabledBase));
    palette.setColor(QPalette::Disabled, QPalette::Highlight, QColor::fromRgb(c.disabledHighlight));
    return palette;
}

} // namespace

Theme::Theme()
    : m_systemStyle(QApplication::style()->name())
{
}

void Theme::apply(Choice choice) const
{
    const QString styleName = choice == Choice::System ? m_systemStyle : u"Fusion"_s;
    // A new style re-polishes every widget: only when it is a different one.
    if (QApplication::style()->name().compare(styleName, Qt::CaseInsensitive) != 0) {
        if (QStyle *style = QStyleFactory::create(styleName))
            QApplication::setStyle(style);
    }
    switch (choice) {
    case Choice::System:
        // An empty palette hands every role back to the platform (and clears AA_SetPalette).
        if (QCoreApplication::testAttribute(Qt::AA_SetPalette))
            QApplication::setPalette(QPalette());
        break;
    case Choice::Light:
        QApplication::setPalette(lightPalette());
        break;
    case Choice::Dark:
        QApplication::setPalette(darkPalette());
        break;
    }
}

QPalette Theme::lightPalette()
{
    return build({
        .window = 0xefefef, .windowText = 0x1f1f1f, .base = 0xffffff, .alternateBase = 0xf5f5f5,
        .text = 0x1f1f1f, .button = 0xefefef, .highlight = 0x2f74d0, .highlightedText = 0xffffff,
        .light = 0xffffff, .midlight = 0xe0e0e0, .mid = 0xb8b8b8, .dark = 0x9f9f9f,
        .shadow = 0x767676, .toolTipBase = 0xffffdc, .link = 0x0b62c4, .linkVisited = 0x7b3fb8,
        .placeholder = 0x6e6e6e, .disabledText = 0xa0a0a0, .disabledBase = 0xefefef,
        .disabledHighlight = 0x919191,
    });
}

QPalette Theme::darkPalette()
{
    // Not black: a dark grey window with a darker base keeps panes and fields apart.
    return build({
        .window = 0x2d2d2d, .windowText = 0xe0e0e0, .base = 0x1e1e1e, .alternateBase = 0x262626,
        .text = 0xe0e0e0, .button = 0x353535, .highlight = 0x2f65b9, .highlightedText = 0xffffff,
        .light = 0x4a4a4a, .midlight = 0x3d3d3d, .mid = 0x262626, .dark = 0x1a1a1a,
        .shadow = 0x0f0f0f, .toolTipBase = 0x3c3c3c, .link = 0x58a6ff, .linkVisited = 0xbc8cff,
        .placeholder = 0x8c8c8c, .disabledText = 0x7c7c7c, .disabledBase = 0x262626,
        .disabledHighlight = 0x3a3a3a,
    });
}

Theme::Choice Theme::saved()
{
    return fromKey(QSettings().value(SettingsKey).toString()).value_or(Choice::System);
}

void Theme::save(Choice choice)
{
    QSettings().setValue(SettingsKey, key(choice));
}

QString Theme::key(Choice choice)
{
    switch (choice) {
    case Choice::System: return u"system"_s;
    case Choice::Light: return u"light"_s;
    case Choice::Dark: return u"dark"_s;
    }
    return {};
}

std::optional<Theme::Choice> Theme::fromKey(const QString &key)
{
    for (Choice choice : {Choice::System, Choice::Light, Choice::Dark}) {
        if (Theme::key(choice) == key)
            return choice;
    }
    return std::nullopt;
}

} // namespace wsprobe
