#include "framefindbar.h"

#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QToolButton>

using namespace Qt::StringLiterals;

namespace wsprobe {
namespace {

constexpr int TypingPauseMs = 150;

} // namespace

FrameFindBar::FrameFindBar(QWidget *parent)
    : QWidget(parent)
{
    m_typingPause.setSingleShot(true);
    m_typingPause.setInterval(TypingPauseMs);
    connect(&m_typingPause, &QTimer::timeout, this, &FrameFindBar::applyNow);

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);

    m_text = new QLineEdit(this);
    m_text->setObjectName(u"searchText"_s);
    m_text->setPlaceholderText(tr("Find (Ctrl+F)"));
    m_text->setToolTip(tr("Find text in the rows shown: Enter or F3 for the next, Shift+Enter or Shift+F3 for "
                          "the previous"));
    m_text->setClearButtonEnabled(true);
    m_text->setMinimumWidth(80);
    m_text->installEventFilter(this);
    connect(m_text, &QLineEdit::textChanged, this, [this] { m_typingPause.start(); });
    layout->addWidget(m_text, 1);

    auto *previous = new QToolButton(this);
    previous->setObjectName(u"findPrevious"_s);
    previous->setArrowType(Qt::UpArrow);
    previous->setToolTip(tr("Previous match (Shift+F3)"));
    previous->setAutoRaise(true);
    connect(previous, &QToolButton::clicked, this, &FrameFindBar::previousRequested);
    layout->addWidget(previous);
    auto *next = new QToolButton(this);
    next->setObjectName(u"findNext"_s);
    next->setArrowType(Qt::DownArrow);
    next->setToolTip(tr("Next match (F3)"));
    next->setAutoRaise(true);
    connect(next, &QToolButton::clicked, this, &FrameFindBar::nextRequested);
    layout->addWidget(next);

    m_status = new QLabel(this);
    m_status->setObjectName(u"searchStatus"_s);
    layout->addWidget(m_status);
}

QString FrameFindBar::text() const
{
    return m_text->text();
}

void FrameFindBar::focusText()
{
    m_text->setFocus(Qt::ShortcutFocusReason);
    m_text->selectAll();
}

void FrameFindBar::applyNow()
{
    m_typingPause.stop();
    Q_EMIT searchChanged();
}

void FrameFindBar::showMatches(int position, int count, bool scanning, const QString &currentName)
{
    m_status->setToolTip(currentName.isEmpty() ? QString() : tr("This match is %1").arg(currentName));
    const QString more = scanning ? u"…"_s : QString();
    const QLocale locale;
    if (count == 0)
        m_status->setText(scanning ? tr("searching…") : tr("no matches"));
    else if (position >= 0)
        m_status->setText(tr("%1 of %2").arg(locale.toString(position + 1), locale.toString(count)) + more);
    else
        m_status->setText((count == 1 ? tr("1 match") : tr("%1 matches").arg(locale.toString(count))) + more);
}

void FrameFindBar::clearMatches()
{
    m_status->clear();
    m_status->setToolTip({});
}

bool FrameFindBar::eventFilter(QObject *watched, QEvent *event)
{
    if (watched != m_text || event->type() != QEvent::KeyPress)
        return QWidget::eventFilter(watched, event);
    const auto *key = static_cast<QKeyEvent *>(event);
    if (key->key() == Qt::Key_Escape && !m_text->text().isEmpty()) {
        m_text->clear();
        applyNow();
        return true;
    }
    // The event's own modifiers, not the application's: Shift+Enter is the previous match.
    if (key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter) {
        if (key->modifiers() & Qt::ShiftModifier)
            Q_EMIT previousRequested();
        else
            Q_EMIT nextRequested();
        return true;
    }
    return QWidget::eventFilter(watched, event);
}

} // namespace wsprobe
