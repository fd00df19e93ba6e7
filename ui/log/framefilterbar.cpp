#include "framefilterbar.h"

#include "framelogmodel.h"
#include "themecolors.h"

#include <QAction>
#include <QEvent>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QMenu>
#include <QPainter>
#include <QToolButton>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace wsprobe {
namespace {

constexpr int TypingPauseMs = 150;

constexpr quint32 kindBit(EventKind kind)
{
    return 1u << int(kind);
}

struct TypeGroupInfo
{
    const char *name;   // object name suffix
    const char *label;
    quint32 kinds;
};

constexpr TypeGroupInfo TypeGroups[FrameFilterBar::TypeGroupCount] = {
    {"text", QT_TRANSLATE_NOOP("wsprobe::FrameFilterBar", "Text"), kindBit(EventKind::Text)},
    {"binary", QT_TRANSLATE_NOOP("wsprobe::FrameFilterBar", "Binary"), kindBit(EventKind::Binary)},
    {"fragment", QT_TRANSLATE_NOOP("wsprobe::FrameFilterBar", "Fragments (continuation frames)"),
     kindBit(EventKind::TextFrame) | kindBit(EventKind::BinaryFrame)},
    {"ping", QT_TRANSLATE_NOOP("wsprobe::FrameFilterBar", "Ping"), kindBit(EventKind::Ping)},
    {"pong", QT_TRANSLATE_NOOP("wsprobe::FrameFilterBar", "Pong"), kindBit(EventKind::Pong)},
    {"close", QT_TRANSLATE_NOOP("wsprobe::FrameFilterBar", "Close"), kindBit(EventKind::Close)},
    {"handshake", QT_TRANSLATE_NOOP("wsprobe::FrameFilterBar", "Handshake"), kindBit(EventKind::Handshake)},
    {"error", QT_TRANSLATE_NOOP("wsprobe::FrameFilterBar", "Error"), kindBit(EventKind::Error)},
    {"info", QT_TRANSLATE_NOOP("wsprobe::FrameFilterBar", "Info (state notes)"), kindBit(EventKind::Info)},
};

constexpr Direction Directions[3] = {Direction::Outgoing, Direction::Incoming, Direction::Local};

// A checkable button whose state shows in every theme: Fusion's dark palette draws a checked
// tool button all but like an unchecked one. Checked, it is tinted with the highlight colour and
// underlined with it.
class ToggleButton : public QToolButton
{
public:
    using QToolButton::QToolButton;

protected:
    void paintEvent(QPaintEvent *event) override
    {
        QToolButton::paintEvent(event);
        if (!isChecked())
            return;
        QPainter painter(this);
        QColor tint = palette().color(QPalette::Highlight);
        tint.setAlpha(110);
        const QRect inside = rect().adjusted(2, 2, -2, -2);
        painter.fillRect(inside, tint);
        painter.fillRect(QRect(inside.left(), inside.bottom() - 2, inside.width(), 3), palette().color(QPalette::Highlight));
    }
};

FrameFilterBar::TypeGroup groupOf(EventKind kind)
{
    for (int group = 0; group < FrameFilterBar::TypeGroupCount; ++group) {
        if (TypeGroups[group].kinds & kindBit(kind))
            return FrameFilterBar::TypeGroup(group);
    }
    return FrameFilterBar::Infos;
}

} // namespace

FrameFilterBar::FrameFilterBar(QWidget *parent)
    : QWidget(parent)
{
    m_typingPause.setSingleShot(true);
    m_typingPause.setInterval(TypingPauseMs);
    connect(&m_typingPause, &QTimer::timeout, this, &FrameFilterBar::apply);

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);

    static const char *const directionNames[3] = {"filterOutgoing", "filterIncoming", "filterLocal"};
    const QString directionTips[3] = {tr("Show what we sent"), tr("Show what the server sent"),
                                      tr("Show what happened here: errors, handshakes, state notes")};
    for (int i = 0; i < 3; ++i) {
        auto *button = new ToggleButton(this);
        button->setObjectName(QString::fromLatin1(directionNames[i]));
        button->setText(directionText(Directions[i]));
        button->setToolTip(directionTips[i]);
        button->setCheckable(true);
        button->setChecked(true);
        connect(button, &QToolButton::toggled, this, &FrameFilterBar::apply);
        m_directionButtons[i] = button;
        layout->addWidget(button);
    }

    m_typeButton = new QToolButton(this);
    m_typeButton->setObjectName(u"filterTypes"_s);
    m_typeButton->setPopupMode(QToolButton::InstantPopup);
    m_typeButton->setToolTip(tr("Which kinds of event to show"));
    auto *menu = new QMenu(m_typeButton);
    menu->addAction(tr("Show all types"), this, [this] {
        for (QAction *action : m_typeActions)
            action->setChecked(true);
    });
    menu->addAction(tr("Messages only"), this, [this] {
        for (int group = 0; group < TypeGroupCount; ++group)
            m_typeActions[group]->setChecked(group == Texts || group == Binaries);
    });
    menu->addSeparator();
    for (int group = 0; group < TypeGroupCount; ++group) {
        QAction *action = menu->addAction(tr(TypeGroups[group].label));
        action->setObjectName(u"filterType_"_s + QString::fromLatin1(TypeGroups[group].name));
        action->setCheckable(true);
        action->setChecked(true);
        connect(action, &QAction::toggled, this, [this] {
            updateTypeButton();
            apply();
        });
        m_typeActions[group] = action;
    }
    m_typeButton->setMenu(menu);
    layout->addWidget(m_typeButton);

    m_text = new QLineEdit(this);
    m_text->setObjectName(u"filterText"_s);
    m_text->setPlaceholderText(tr("Filter by payload text"));
    m_text->setClearButtonEnabled(true);
    m_text->setMinimumWidth(80);
    connect(m_text, &QLineEdit::textChanged, this, [this] {
        validateText();
        m_typingPause.start();
    });
    connect(m_text, &QLineEdit::returnPressed, this, &FrameFilterBar::apply);
    layout->addWidget(m_text, 1);

    m_regex = new QToolButton(this);
    m_regex->setObjectName(u"filterRegex"_s);
    m_regex->setText(u".*"_s);
    m_regex->setCheckable(true);
    m_regex->setToolTip(tr("Filter with a regular expression (case-insensitive)"));
    connect(m_regex, &QToolButton::toggled, this, [this] {
        validateText();
        apply();
    });
    layout->addWidget(m_regex);

    updateTypeButton();
}

void FrameFilterBar::setTypeGroupShown(TypeGroup group, bool shown)
{
    m_typeActions[group]->setChecked(shown);
}

void FrameFilterBar::setDirectionShown(Direction direction, bool shown)
{
    m_directionButtons[int(std::find(std::begin(Directions), std::end(Directions), direction) - Directions)]->setChecked(shown);
}

TextPattern FrameFilterBar::typedPattern() const
{
    return m_regex->isChecked() ? TextPattern::regularExpression(m_text->text()) : TextPattern::substring(m_text->text());
}

FrameMatcher FrameFilterBar::matcher() const
{
    FrameMatcher matcher;
    for (int i = 0; i < 3; ++i)
        matcher.setDirection(Directions[i], m_directionButtons[i]->isChecked());
    matcher.kinds = 0;
    for (int group = 0; group < TypeGroupCount; ++group) {
        if (m_typeActions[group]->isChecked())
            matcher.kinds |= TypeGroups[group].kinds;
    }
    const TextPattern pattern = typedPattern();
    if (pattern.isValid()) {
        if (!pattern.isEmpty())
            matcher.patterns.append(pattern);
    } else {
        // Keep showing what the last valid expression showed (see the header).
        matcher.patterns = m_announcedPatterns;
    }
    return matcher;
}

void FrameFilterBar::apply()
{
    m_typingPause.stop();
    validateText();
    m_text->setPlaceholderText(m_regex->isChecked() ? tr("Filter by regular expression") : tr("Filter by payload text"));
    m_announcedPatterns = matcher().patterns;
    Q_EMIT filterChanged();
}

void FrameFilterBar::relaxToShow(const FrameEvent &event)
{
    for (int i = 0; i < 3; ++i) {
        if (Directions[i] == event.direction) {
            const QSignalBlocker blocker(m_directionButtons[i]);
            m_directionButtons[i]->setChecked(true);
        }
    }
    {
        const QSignalBlocker blocker(m_typeActions[groupOf(event.kind)]);
        m_typeActions[groupOf(event.kind)]->setChecked(true);
        updateTypeButton();
    }
    const bool textMatches = std::all_of(m_announcedPatterns.cbegin(), m_announcedPatterns.cend(),
                                         [&event](const TextPattern &p) { return p.matches(event); });
    if (!textMatches) {
        const QSignalBlocker blocker(m_text);
        m_text->clear();
        validateText();
    }
    apply();
}

QString FrameFilterBar::errorString() const
{
    const TextPattern pattern = typedPattern();
    return pattern.isValid() ? QString() : tr("Invalid regular expression: %1").arg(pattern.errorString());
}

void FrameFilterBar::validateText()
{
    const QString error = errorString();
    const bool invalid = !error.isEmpty();
    if (m_text->toolTip() != error) {
        m_text->setToolTip(error);
        Q_EMIT errorChanged();
    }
    if (m_text->property("invalid").toBool() == invalid)
        return;
    m_text->setProperty("invalid", invalid);
    m_text->setStyleSheet(invalid ? u"QLineEdit { border: 1px solid %1; border-radius: 3px; padding: 1px 2px; }"_s
                                        .arg(ThemeColors::failure(palette()).name())
                                  : QString());
}

void FrameFilterBar::updateTypeButton()
{
    QStringList shown;
    for (int group = 0; group < TypeGroupCount; ++group) {
        if (m_typeActions[group]->isChecked())
            shown << QString::fromLatin1(TypeGroups[group].name);
    }
    QString text;
    if (shown.size() == TypeGroupCount)
        text = tr("All types");
    else if (shown.isEmpty())
        text = tr("No types");
    else if (shown.size() <= 2)
        text = shown.join(u", "_s);
    else
        text = tr("%1 types").arg(shown.size());
    m_typeButton->setText(text);
}

void FrameFilterBar::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    // An invalid filter's border is in a style sheet: redraw it in the new theme's shade.
    if (event->type() == QEvent::PaletteChange && m_text->property("invalid").toBool()) {
        m_text->setProperty("invalid", false);
        validateText();
    }
}

} // namespace wsprobe
