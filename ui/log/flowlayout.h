#pragma once

#include <QLayout>
#include <QList>

namespace wsprobe {

// A row of controls that wraps to more rows when its width is short, instead of overlapping or
// forcing the window wider. The widest item's minimum is the layout's minimum width.
//
// Items keep their order. A row is broken where the next item's preferred width no longer fits,
// unless breaking where even its minimum no longer fits gives fewer rows: then items share a
// row below their preferred widths. Width a row has left over goes to its items by stretch.
class FlowLayout : public QLayout
{
public:
    explicit FlowLayout(QWidget *parent = nullptr);
    ~FlowLayout() override;

    void addWidget(QWidget *widget, int stretch = 0);

    void addItem(QLayoutItem *item) override;
    int count() const override;
    QLayoutItem *itemAt(int index) const override;
    QLayoutItem *takeAt(int index) override;
    Qt::Orientations expandingDirections() const override;
    bool hasHeightForWidth() const override;
    int heightForWidth(int width) const override;
    QSize minimumSize() const override;
    QSize sizeHint() const override;
    void setGeometry(const QRect &rect) override;

    // How many rows the items take at this width (for tests and the log's screenshot).
    int rowCount(int width) const;

private:
    struct Row
    {
        int first = 0;
        int end = 0;  // one past the last item
    };
    QList<Row> breakRows(int width, bool byPreferred) const;
    QList<Row> rowsFor(int width) const;
    // Lays the items out in rect (when apply) and returns the height used.
    int layOut(const QRect &rect, bool apply) const;
    int hSpacing() const;

    QList<QLayoutItem *> m_items;  // Owned.
    QList<int> m_stretch;
};

} // namespace wsprobe
